/**
 * A restricted reader for Python's pickle format (protocols 2..5, the subset a
 * PyTorch state_dict uses). Nothing is ever executed: GLOBAL opcodes are looked
 * up in an allowlist supplied by the caller, and anything not on it is refused
 * with UnsafePickleError before the rest of the stream is read. "Calling" an
 * allowed global runs our own TypeScript implementation of it.
 *
 * Opcode semantics follow the pickle documentation and `pickletools`.
 */
import { UserError } from '../../cli/errors.js';

/** A Python tuple (kept apart from lists, which become plain arrays). */
export class PyTuple {
  constructor(readonly items: readonly unknown[]) {}
}

/** A Python dict / OrderedDict; BUILD on it stores the state in `attrs` (e.g. `_metadata`). */
export class PyDict {
  readonly entries = new Map<PyKey, unknown>();
  readonly attrs = new Map<string, unknown>();
}

export type PyKey = string | number | bigint | boolean | null;

/** An allowed global: `call` is our own implementation; without it the global can only be passed around. */
export interface PyGlobal {
  readonly module: string;
  readonly name: string;
  readonly call?: (args: readonly unknown[]) => unknown;
}

export interface UnpickleOptions {
  /** Named in every error. */
  readonly file: string;
  /** The allowlist: returns undefined for anything that must be refused. */
  readonly findGlobal: (module: string, name: string) => PyGlobal | undefined;
  /** BINPERSID handler; without it persistent ids are refused. */
  readonly persistentLoad?: (pid: unknown) => unknown;
}

/** A pickle asked for a Python global outside the allowlist. Nothing was executed. */
export class UnsafePickleError extends UserError {
  constructor(readonly file: string, readonly global: string) {
    super(
      `${file}: refused to load the Python global '${global}': only plain tensors and ordered dicts ` +
        `(a PyTorch state_dict) can be read, and nothing in the file is ever executed.`,
    );
    this.name = 'UnsafePickleError';
  }
}

const UTF8 = new TextDecoder('utf-8');

export function unpickle(bytes: Uint8Array, opts: UnpickleOptions): unknown {
  return new Unpickler(bytes, opts).run();
}

class Unpickler {
  private pos = 0;
  private stack: unknown[] = [];
  private readonly metastack: unknown[][] = [];
  private readonly memo = new Map<number, unknown>();
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array, private readonly opts: UnpickleOptions) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private fail(what: string): never {
    throw new UserError(`${this.opts.file}: not a readable PyTorch pickle (${what}).`);
  }

  run(): unknown {
    for (;;) {
      const at = this.pos;
      const op = this.u8();
      switch (op) {
        case 0x80: this.u8(); break; // PROTO n
        case 0x95: this.pos += 8; break; // FRAME (length; framing is only a read-ahead hint)
        case 0x2e: return this.pop(); // STOP '.'
        case 0x28: this.metastack.push(this.stack); this.stack = []; break; // MARK '('
        case 0x30: this.pop(); break; // POP '0'
        case 0x31: this.popMark(); break; // POP_MARK '1'
        case 0x32: this.push(this.top()); break; // DUP '2'

        case 0x4e: this.push(null); break; // NONE 'N'
        case 0x88: this.push(true); break; // NEWTRUE
        case 0x89: this.push(false); break; // NEWFALSE
        case 0x4b: this.push(this.u8()); break; // BININT1 'K'
        case 0x4d: this.push(this.view.getUint16(this.take(2), true)); break; // BININT2 'M'
        case 0x4a: this.push(this.view.getInt32(this.take(4), true)); break; // BININT 'J'
        case 0x8a: this.push(this.long(this.u8())); break; // LONG1
        case 0x8b: this.push(this.long(this.u32())); break; // LONG4
        case 0x47: this.push(this.view.getFloat64(this.take(8), false)); break; // BINFLOAT 'G' (big-endian)

        case 0x58: this.push(this.utf8(this.u32())); break; // BINUNICODE 'X'
        case 0x8c: this.push(this.utf8(this.u8())); break; // SHORT_BINUNICODE
        case 0x8d: this.push(this.utf8(this.u64())); break; // BINUNICODE8
        case 0x54: this.push(this.latin1(this.u32())); break; // BINSTRING 'T' (py2 str)
        case 0x55: this.push(this.latin1(this.u8())); break; // SHORT_BINSTRING 'U'
        case 0x42: this.push(this.raw(this.u32()).slice()); break; // BINBYTES 'B'
        case 0x43: this.push(this.raw(this.u8()).slice()); break; // SHORT_BINBYTES 'C'
        case 0x8e: this.push(this.raw(this.u64()).slice()); break; // BINBYTES8

        case 0x29: this.push(new PyTuple([])); break; // EMPTY_TUPLE ')'
        case 0x74: this.push(new PyTuple(this.popMark())); break; // TUPLE 't'
        case 0x85: this.push(new PyTuple(this.popN(1))); break; // TUPLE1
        case 0x86: this.push(new PyTuple(this.popN(2))); break; // TUPLE2
        case 0x87: this.push(new PyTuple(this.popN(3))); break; // TUPLE3
        case 0x5d: this.push([]); break; // EMPTY_LIST ']'
        case 0x6c: this.push(this.popMark()); break; // LIST 'l'
        case 0x7d: this.push(new PyDict()); break; // EMPTY_DICT '}'
        case 0x64: { const d = new PyDict(); this.setItems(d, this.popMark()); this.push(d); break; } // DICT 'd'
        case 0x61: { const v = this.pop(); this.list(this.top()).push(v); break; } // APPEND 'a'
        case 0x65: { const vs = this.popMark(); this.list(this.top()).push(...vs); break; } // APPENDS 'e'
        case 0x73: { const v = this.pop(); const k = this.pop(); this.setItems(this.top(), [k, v]); break; } // SETITEM 's'
        case 0x75: { const kvs = this.popMark(); this.setItems(this.top(), kvs); break; } // SETITEMS 'u'

        case 0x94: this.memo.set(this.memo.size, this.top()); break; // MEMOIZE
        case 0x71: this.memo.set(this.u8(), this.top()); break; // BINPUT 'q'
        case 0x72: this.memo.set(this.u32(), this.top()); break; // LONG_BINPUT 'r'
        case 0x68: this.push(this.memoGet(this.u8())); break; // BINGET 'h'
        case 0x6a: this.push(this.memoGet(this.u32())); break; // LONG_BINGET 'j'

        case 0x63: { // GLOBAL 'c': "module\nname\n"
          const module = this.line();
          this.push(this.global(module, this.line()));
          break;
        }
        case 0x93: { // STACK_GLOBAL
          const name = this.pop();
          const module = this.pop();
          if (typeof module !== 'string' || typeof name !== 'string') this.fail('STACK_GLOBAL needs two strings');
          this.push(this.global(module, name));
          break;
        }
        case 0x52: { // REDUCE 'R': callable(*args)
          const args = this.pop();
          const fn = this.pop();
          this.push(this.call(fn, args));
          break;
        }
        case 0x81: { // NEWOBJ: cls.__new__(cls, *args); only for allowed globals
          const args = this.pop();
          this.push(this.call(this.pop(), args));
          break;
        }
        case 0x62: { // BUILD 'b': obj.__setstate__(state)
          const state = this.pop();
          this.build(this.top(), state);
          break;
        }
        case 0x51: { // BINPERSID 'Q'
          const pid = this.pop();
          if (!this.opts.persistentLoad) this.fail('a persistent id outside a PyTorch zip archive');
          this.push(this.opts.persistentLoad(pid));
          break;
        }
        default:
          this.fail(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at}`);
      }
    }
  }

  // --- stack -----------------------------------------------------------------

  private push(v: unknown): void {
    this.stack.push(v);
  }

  private pop(): unknown {
    if (this.stack.length === 0) this.fail('stack underflow');
    return this.stack.pop();
  }

  private top(): unknown {
    if (this.stack.length === 0) this.fail('stack underflow');
    return this.stack[this.stack.length - 1];
  }

  private popN(n: number): unknown[] {
    if (this.stack.length < n) this.fail('stack underflow');
    return this.stack.splice(this.stack.length - n, n);
  }

  private popMark(): unknown[] {
    const items = this.stack;
    const prev = this.metastack.pop();
    if (!prev) this.fail('missing MARK');
    this.stack = prev;
    return items;
  }

  private memoGet(i: number): unknown {
    if (!this.memo.has(i)) this.fail(`memo entry ${i} is missing`);
    return this.memo.get(i);
  }

  // --- objects -----------------------------------------------------------------

  private global(module: string, name: string): PyGlobal {
    const g = this.opts.findGlobal(module, name);
    if (!g) throw new UnsafePickleError(this.opts.file, `${module}.${name}`);
    return g;
  }

  private call(fn: unknown, args: unknown): unknown {
    if (!(args instanceof PyTuple)) this.fail('call arguments are not a tuple');
    if (!isGlobal(fn) || !fn.call) this.fail(`'${describe(fn)}' cannot be called`);
    return fn.call(args.items);
  }

  private build(obj: unknown, state: unknown): void {
    // Only dicts take state here (an OrderedDict's __dict__, e.g. state_dict._metadata).
    if (!(obj instanceof PyDict) || !(state instanceof PyDict)) this.fail(`BUILD on ${describe(obj)}`);
    for (const [k, v] of state.entries) obj.attrs.set(String(k), v);
  }

  private list(target: unknown): unknown[] {
    if (!Array.isArray(target)) this.fail(`APPEND to ${describe(target)}`);
    return target;
  }

  private setItems(target: unknown, kvs: unknown[]): void {
    if (!(target instanceof PyDict)) this.fail(`SETITEM on ${describe(target)}`);
    if (kvs.length % 2 !== 0) this.fail('odd number of dict items');
    for (let i = 0; i < kvs.length; i += 2) {
      const k = kvs[i];
      if (k !== null && !['string', 'number', 'bigint', 'boolean'].includes(typeof k)) {
        this.fail(`dict key of type ${describe(k)}`);
      }
      target.entries.set(k as PyKey, kvs[i + 1]);
    }
  }

  // --- raw reads -----------------------------------------------------------------

  private take(n: number): number {
    const at = this.pos;
    if (n < 0 || at + n > this.bytes.length) this.fail('the pickle stream is truncated');
    this.pos = at + n;
    return at;
  }

  private u8(): number {
    return this.bytes[this.take(1)]!;
  }

  private u32(): number {
    return this.view.getUint32(this.take(4), true);
  }

  private u64(): number {
    const n = this.view.getBigUint64(this.take(8), true);
    if (n > BigInt(this.bytes.length)) this.fail('the pickle stream is truncated');
    return Number(n);
  }

  private raw(n: number): Uint8Array {
    const at = this.take(n);
    return this.bytes.subarray(at, at + n);
  }

  private utf8(n: number): string {
    return UTF8.decode(this.raw(n));
  }

  private latin1(n: number): string {
    return Buffer.from(this.raw(n)).toString('latin1');
  }

  private line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) this.fail('the pickle stream is truncated');
    const s = Buffer.from(this.bytes.subarray(this.pos, end)).toString('utf8');
    this.pos = end + 1;
    return s;
  }

  /** Little-endian two's complement integer of n bytes; a number when it fits exactly. */
  private long(n: number): number | bigint {
    const b = this.raw(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    if (n > 0 && (b[n - 1]! & 0x80) !== 0) v -= 1n << BigInt(8 * n);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
}

function isGlobal(v: unknown): v is PyGlobal {
  return typeof v === 'object' && v !== null && 'module' in v && 'name' in v;
}

function describe(v: unknown): string {
  if (isGlobal(v)) return `${v.module}.${v.name}`;
  if (v instanceof PyTuple) return 'a tuple';
  if (v instanceof PyDict) return 'a dict';
  if (Array.isArray(v)) return 'a list';
  return v === null ? 'None' : typeof v;
}
