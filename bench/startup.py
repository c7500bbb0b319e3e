#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Startup benchmark: time to first frame and peak RSS, app versus a bare window.

Runs the app and bench/bare-window (the floor) alternately under one Xvfb and
one D-Bus session, and prints the medians and the ratio app/floor.  The
programs report their first drawn frame on stdout when started with
EIMZA_ASISTAN_FIRST_FRAME=1 ("first-frame-us <g_get_monotonic_time()>"); the
clock is CLOCK_MONOTONIC, the same one this script reads just before spawning.
Peak RSS comes from wait4()'s rusage.  See bench/README.md.
"""

import argparse
import json
import os
import select
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

GOAL_RATIO = 1.3
RUN_TIMEOUT_S = 30.0


def now_us():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def build_options(builddir):
    out = subprocess.run(["meson", "introspect", "--buildoptions", builddir],
                         check=True, capture_output=True, text=True).stdout
    return {opt["name"]: opt["value"] for opt in json.loads(out)}


def check_not_sanitized(builddir):
    """ASan and UBSan distort both figures: refuse such a build."""
    opts = build_options(builddir)
    sanitize = opts.get("b_sanitize", "none")
    if sanitize not in ("none", "", None):
        sys.exit("startup.py: %s is a sanitizer build (b_sanitize=%s); "
                 "use a plain build, e.g. the default _build-bench" % (builddir, sanitize))
    return opts


def prepare_build(srcdir, builddir):
    """Configure (release, no sanitizers) if needed, then compile."""
    if not os.path.exists(os.path.join(builddir, "meson-private", "coredata.dat")):
        log("==> Configuring %s (buildtype=release)" % builddir)
        subprocess.run(["meson", "setup", builddir, srcdir, "--buildtype=release"],
                       check=True, stdout=sys.stderr)
    opts = check_not_sanitized(builddir)
    log("==> Compiling %s (buildtype=%s)" % (builddir, opts.get("buildtype")))
    subprocess.run(["meson", "compile", "-C", builddir], check=True, stdout=sys.stderr)
    return opts


def start_xvfb():
    """One Xvfb for all runs; -noreset keeps the server (and its GL probing)
    alive between clients, as a desktop session would."""
    rfd, wfd = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(wfd), "-screen", "0", "1280x800x24",
                             "-noreset", "-nolisten", "tcp"],
                            pass_fds=(wfd,), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    os.close(wfd)
    # Xvfb writes the number and the newline in two writes, and dies if the
    # pipe is closed in between: read up to the newline.
    data = b""
    deadline = time.monotonic() + 15
    while not data.endswith(b"\n"):
        ready, _, _ = select.select([rfd], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(rfd, 64) if ready else b""
        if not chunk:
            proc.kill()
            sys.exit("startup.py: Xvfb did not report a display number")
        data += chunk
    os.close(rfd)
    display = data.decode().strip()
    # Be sure the server takes clients before the first measured start.
    deadline = time.monotonic() + 15
    while not x_server_accepts(display):
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            sys.exit("startup.py: Xvfb :%s does not accept connections" % display)
        time.sleep(0.02)
    return proc, ":" + display


def x_server_accepts(display):
    """True if an X11 connection set-up on the display's socket succeeds."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(2)
            s.connect("/tmp/.X11-unix/X" + display)
            # Little-endian set-up request, protocol 11.0, no authorization.
            s.sendall(struct.pack("<BxHHHHxx", ord("l"), 11, 0, 0, 0))
            reply = s.recv(8)
            return len(reply) > 0 and reply[0] == 1
    except OSError:
        return False


def start_dbus():
    proc = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    address = proc.stdout.readline().strip()
    if not address:
        proc.kill()
        sys.exit("startup.py: dbus-daemon did not start")
    return proc, address


def run_once(argv, env):
    """Spawn argv, wait for its first-frame line, return (ms, peak RSS MiB)."""
    rfd, wfd = os.pipe()
    t0 = now_us()
    pid = os.posix_spawn(argv[0], argv, env,
                         file_actions=[(os.POSIX_SPAWN_DUP2, wfd, 1),
                                       (os.POSIX_SPAWN_CLOSE, rfd)])
    os.close(wfd)
    out = b""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    first_frame = None
    while first_frame is None:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([rfd], [], [], left)
        if not ready:
            break
        chunk = os.read(rfd, 4096)
        if not chunk:
            break
        out += chunk
        for line in out.decode(errors="replace").splitlines():
            if line.startswith("first-frame-us "):
                first_frame = int(line.split()[1])
    if first_frame is None:
        os.kill(pid, signal.SIGKILL)
    _, status, rusage = os.wait4(pid, 0)
    os.close(rfd)
    if first_frame is None:
        raise RuntimeError("%s did not report a first frame within %.0f s "
                           "(wait status %d, stdout %r)" % (argv[0], RUN_TIMEOUT_S, status, out[-300:]))
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        raise RuntimeError("%s exited abnormally (wait status %d)" % (argv[0], status))
    # ru_maxrss is in KiB on Linux.
    return (first_frame - t0) / 1000.0, rusage.ru_maxrss / 1024.0


def install_data_dir(builddir, opts, tmp):
    """Installs the build into tmp/root and returns its data dir, with the
    icon cache that a package's post-install step would make."""
    root = os.path.join(tmp, "root")
    subprocess.run(["meson", "install", "-C", builddir, "--no-rebuild", "--quiet",
                    "--destdir", root], check=True, stdout=subprocess.DEVNULL)
    datadir = os.path.join(root + opts["prefix"], opts["datadir"])
    hicolor = os.path.join(datadir, "icons", "hicolor")
    if shutil.which("gtk-update-icon-cache") and os.path.isdir(hicolor):
        subprocess.run(["gtk-update-icon-cache", "-q", "-t", "-f", hicolor], check=True)
    return datadir


def main():
    srcdir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("builddir", nargs="?", default=os.path.join(srcdir, "_build-bench"),
                        help="non-sanitizer meson build dir, created if missing "
                             "(default: _build-bench at the top of the source tree)")
    parser.add_argument("-n", "--runs", type=int, default=15,
                        help="measured runs of each program (default 15, minimum 15)")
    parser.add_argument("--warmup", type=int, default=1,
                        help="unmeasured runs of each program first (default 1)")
    parser.add_argument("--app-arg", action="append", default=[],
                        help="extra argument for the app (repeatable)")
    parser.add_argument("--no-build", action="store_true",
                        help="do not configure/compile the build dir")
    args = parser.parse_args()
    if args.runs < 15:
        parser.error("--runs must be at least 15")

    builddir = os.path.abspath(args.builddir)
    if args.no_build:
        opts = check_not_sanitized(builddir)
    else:
        opts = prepare_build(srcdir, builddir)

    app = os.path.join(builddir, "src", "ui", "eimza-asistan")
    floor = os.path.join(builddir, "bench", "bare-window")
    for prog in (app, floor):
        if not os.access(prog, os.X_OK):
            sys.exit("startup.py: %s is missing; build %s first" % (prog, builddir))

    tmp = tempfile.mkdtemp(prefix="eimza-bench-")
    xvfb = dbus = None
    try:
        xvfb, display = start_xvfb()
        dbus, bus = start_dbus()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": tmp,
            "XDG_RUNTIME_DIR": tmp,
            "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
            "XDG_CACHE_HOME": os.path.join(tmp, "cache"),
            "XDG_DATA_HOME": os.path.join(tmp, "data"),
            "DISPLAY": display,
            "GDK_BACKEND": "x11",
            "DBUS_SESSION_BUS_ADDRESS": bus,
            "LANG": "C.UTF-8",
            "GSETTINGS_BACKEND": "memory",
            "EIMZA_ASISTAN_FIRST_FRAME": "1",
            "EIMZA_ASISTAN_LOCALEDIR": os.path.join(builddir, "po"),
        }
        schemas = os.path.join(builddir, "data")
        if os.path.exists(os.path.join(schemas, "gschemas.compiled")):
            env["GSETTINGS_SCHEMA_DIR"] = schemas
        # As installed: the app finds its icons (and their cache) the way it
        # does on a person's machine, instead of drawing "image-missing".
        env["XDG_DATA_DIRS"] = install_data_dir(builddir, opts, tmp) + ":/usr/share"

        progs = [("app", [app] + args.app_arg), ("floor", [floor])]
        log("==> Xvfb %s (-noreset), one D-Bus session; %d warm-up + %d measured runs each, "
            "alternating app/floor" % (display, args.warmup, args.runs))
        results = {"app": [], "floor": []}
        for i in range(args.warmup + args.runs):
            for name, argv in progs:
                ms, mib = run_once(argv, env)
                if i >= args.warmup:
                    results[name].append((ms, mib))
                log("   run %2d %-5s %7.1f ms %6.1f MiB%s"
                    % (i + 1 - args.warmup, name, ms, mib, "" if i >= args.warmup else "  (warm-up)"))
    finally:
        for proc in (dbus, xvfb):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)

    med = {}
    for name, rows in results.items():
        med[name] = (statistics.median(r[0] for r in rows),
                     statistics.median(r[1] for r in rows),
                     min(r[0] for r in rows), max(r[0] for r in rows))

    print("startup benchmark (%s, buildtype=%s, %d runs each, medians)"
          % (os.path.relpath(builddir, srcdir), opts.get("buildtype"), args.runs))
    print("  %-22s %10s %10s   %s" % ("", "first frame", "peak RSS", "(first frame min-max)"))
    print("  %-22s %8.1f ms %6.1f MiB   (%.1f-%.1f ms)"
          % ("app   eimza-asistan", med["app"][0], med["app"][1], med["app"][2], med["app"][3]))
    print("  %-22s %8.1f ms %6.1f MiB   (%.1f-%.1f ms)"
          % ("floor bare-window", med["floor"][0], med["floor"][1], med["floor"][2], med["floor"][3]))
    t_ratio = med["app"][0] / med["floor"][0]
    m_ratio = med["app"][1] / med["floor"][1]
    print("  %-22s %8.2f x  %6.2f x" % ("ratio app/floor", t_ratio, m_ratio))
    print("  goal: ratio <= %.1f  time: %s  RSS: %s"
          % (GOAL_RATIO,
             "met" if t_ratio <= GOAL_RATIO else "NOT met",
             "met" if m_ratio <= GOAL_RATIO else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
