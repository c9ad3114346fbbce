"""sap-rl's bridge to the real ALE: one ale_py.ALEInterface driven over stdin/stdout.

Started by src/env/backends/ale-py.ts. Binary protocol, little-endian:
  request:  u8 op, u32 payload length, payload
  response: u8 status (0 ok, 1 error), u32 payload length, payload
Rare calls (hello, load) carry JSON; the per-frame call (ACT) is packed binary.
The first request (HELLO) and its answer travel over stdin/stdout; the answer names two
FIFOs this script made, and every later request uses them, because the parent reads and
writes FIFOs with blocking system calls: a round trip then costs a third of what it does
through Node's asynchronous pipes. The ALE prints to stdout from C++, so fd 1 is pointed
at stderr once the protocol has its own copy of it.
"""
import atexit
import json
import os
import shutil
import struct
import sys
import tempfile
import time

OP_HELLO, OP_LOAD, OP_RESET, OP_ACT, OP_SCREEN, OP_RAM, OP_CLOSE, OP_SET_RAM = 1, 2, 3, 4, 5, 6, 7, 8
# ACT flags
BREAK_ON_TERMINAL, BREAK_ON_LIFE_LOSS, CAPTURE_PREV, CAPTURE_LAST = 1, 2, 4, 8

proto_out = os.dup(1)
os.dup2(2, 1)
proto_in = sys.stdin.buffer.raw.fileno()


def send(status, *parts):
    """One answer, written with a single writev (the parts may be memoryviews of screens)."""
    size = sum(len(p) for p in parts)
    os.writev(proto_out, [struct.pack("<BI", status, size), *parts])


SPIN_S = float(os.environ.get("SAP_RL_BRIDGE_SPIN_US", "1000")) / 1e6
proto_poll = None  # non-blocking twin of proto_in, once on the FIFOs


def read_exact(n):
    """Reads n bytes; polls for up to SPIN_S first (see SPIN_US in ale-py.ts), then blocks."""
    chunks, left = [], n
    deadline = time.perf_counter() + SPIN_S if proto_poll is not None and SPIN_S > 0 else 0
    while left:
        if deadline and time.perf_counter() < deadline:
            try:
                data = os.read(proto_poll, left)
            except BlockingIOError:
                continue
        else:
            data = os.read(proto_in, left)
        if not data:
            sys.exit(0)  # the parent is gone: leave quietly
        chunks.append(data)
        left -= len(data)
    return b"".join(chunks)


try:
    import ale_py
    import numpy as np
except Exception as exc:  # reported to the parent on the first request
    IMPORT_ERROR = f"{type(exc).__name__}: {exc}"
else:
    IMPORT_ERROR = None

ale = None
screens = None  # the captured screens of one ACT (second-to-last, last), palette indices
fifo_dir = None


def hello():
    global fifo_dir
    if IMPORT_ERROR:
        raise RuntimeError(f"cannot import ale_py with {sys.executable} ({IMPORT_ERROR})")
    fifo_dir = tempfile.mkdtemp(prefix="sap-rl-ale-")
    for name in ("request", "response"):
        os.mkfifo(os.path.join(fifo_dir, name), 0o600)
    return json.dumps({
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "alePy": ale_py.__version__,
        "romDir": os.path.join(os.path.dirname(ale_py.__file__), "roms"),
        "fifos": [os.path.join(fifo_dir, "request"), os.path.join(fifo_dir, "response")],
    }).encode()


def switch_to_fifos():
    """After HELLO: the parent opens the request FIFO for writing, then the response one for reading."""
    global proto_in, proto_out, proto_poll
    proto_in = os.open(os.path.join(fifo_dir, "request"), os.O_RDONLY)
    proto_poll = os.open(os.path.join(fifo_dir, "request"), os.O_RDONLY | os.O_NONBLOCK)
    proto_out = os.open(os.path.join(fifo_dir, "response"), os.O_WRONLY)
    # the parent removes fifo_dir once it has opened its ends; this is for when it died first
    atexit.register(shutil.rmtree, fifo_dir, True)


def load(cfg):
    # Like ale_py.env.AtariEnv: one interface, re-seeded and re-loaded on every seeded reset.
    global ale, screens
    if ale is None:
        ale = ale_py.ALEInterface()
        ale.setLoggerMode(ale_py.LoggerMode.Error)
    ale.setFloat("repeat_action_probability", float(cfg["repeatActionProbability"]))
    ale.setInt("max_num_frames_per_episode", int(cfg["maxFramesPerEpisode"]))
    ale.setInt("random_seed", int(cfg["seed"]))
    if not os.path.isfile(cfg["rom"]):  # ALE itself crashes on a missing file
        raise FileNotFoundError(f"no ROM file at {cfg['rom']}")
    ale.loadROM(cfg["rom"])
    for key, available, setter in (("mode", ale.getAvailableModes(), ale.setMode),
                                   ("difficulty", ale.getAvailableDifficulties(), ale.setDifficulty)):
        if cfg.get(key) is not None:
            if int(cfg[key]) not in [int(v) for v in available]:
                raise ValueError(f"{key} {cfg[key]} is not available for this game; "
                                 f"its {key} values are {', '.join(str(int(v)) for v in available)}")
            setter(int(cfg[key]))
    h, w = ale.getScreenDims()
    screens = np.empty((2, h, w), dtype=np.uint8)
    return json.dumps({
        "minimalActions": [int(a.value) for a in ale.getMinimalActionSet()],
        "legalActions": [int(a.value) for a in ale.getLegalActionSet()],
        "modes": [int(m) for m in ale.getAvailableModes()],
        "difficulties": [int(d) for d in ale.getAvailableDifficulties()],
        "height": int(h),
        "width": int(w),
    }).encode()


STATUS = struct.Struct("<iIBBiII")  # reward, frames run, terminal, truncated, lives, frame, episode frame


def status(reward, frames):
    return STATUS.pack(reward, frames, ale.game_over(with_truncation=False), ale.game_truncated(),
                       ale.lives(), ale.getFrameNumber(), ale.getEpisodeFrameNumber())


def act(payload):
    """Runs up to `frames` frames of one action, as Gymnasium's loops do.

    CAPTURE_PREV and CAPTURE_LAST return the screens after the second-to-last and the last
    frame (each only if the loop got that far; bit 0 / bit 1 of the `captured` byte say which),
    for max-pooling. With BREAK_ON_TERMINAL the loop
    stops after a frame that ends (terminal or truncated) the episode, and with
    BREAK_ON_LIFE_LOSS after a frame that loses a life; the checks come before the captures,
    exactly as in gymnasium.wrappers.AtariPreprocessing.
    """
    action, frames, flags, strength = struct.unpack("<BHBf", payload)
    total, ran, captured = 0, 0, 0
    lives = ale.lives()
    for t in range(frames):
        total += ale.act(action, strength)
        ran += 1
        if flags & BREAK_ON_LIFE_LOSS:
            now = ale.lives()
            if now < lives:
                break
            lives = now
        if flags & BREAK_ON_TERMINAL and (ale.game_over(with_truncation=False) or ale.game_truncated()):
            break
        which = t - (frames - 2)  # 0: second-to-last frame, 1: last frame
        if which >= 0 and flags & (CAPTURE_PREV << which):
            ale.getScreen(screens[which])
            captured |= 1 << which
    shots = [memoryview(screens[i]).cast("B") for i in (0, 1) if captured & (1 << i)]
    return [status(total, ran) + bytes([captured]), *shots]


def main():
    handlers = {
        OP_HELLO: lambda p: hello(),
        OP_LOAD: lambda p: load(json.loads(p)),
        OP_RESET: lambda p: (ale.reset_game(), status(0, 0))[1],
        OP_ACT: act,
        OP_SCREEN: lambda p: (ale.getScreen(screens[1]), memoryview(screens[1]).cast("B"))[1],
        OP_RAM: lambda p: ale.getRAM().tobytes(),
        OP_SET_RAM: lambda p: (ale.setRAM(p[0], p[1]), b"")[1],
    }
    while True:
        op, n = struct.unpack("<BI", read_exact(5))
        payload = read_exact(n) if n else b""
        if op == OP_CLOSE:
            send(0)
            return
        try:
            if op != OP_HELLO and IMPORT_ERROR:
                raise RuntimeError(IMPORT_ERROR)
            if op not in (OP_HELLO, OP_LOAD) and ale is None:
                raise RuntimeError("no ROM loaded")
            handler = handlers.get(op)
            if handler is None:
                raise RuntimeError(f"unknown op {op}")
            answer = handler(payload)
        except Exception as exc:  # surfaced to TypeScript as an AlePyError
            send(1, f"{type(exc).__name__}: {exc}".encode())
            continue
        send(0, *(answer if isinstance(answer, list) else [answer]))
        if op == OP_HELLO:
            switch_to_fifos()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
