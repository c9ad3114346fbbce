// The process entry point: bin/sap-rl.js imports this file from the build.
import { main } from './main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Not a user error: a bug or an environment failure. Show it whole.
    console.error(err);
    process.exitCode = 1;
  },
);
