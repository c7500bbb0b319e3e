#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The quick start as a person at a desktop types it, checked through AT-SPI.

Runs as that person (an unprivileged user with sudo rights made by
test-quickstart-user.sh), in their own copy of the source tree, inside their
desktop session (quickstart-user-session.sh: Xvfb, the session bus at
$XDG_RUNTIME_DIR/bus).  Three runs of the README's run command:

1. `./tools/quickstart.sh run` builds _build and starts the demo; the app
   is on this session's accessibility bus, belongs to the person, and its
   window and welcome page are in Turkish (LANG=tr_TR.UTF-8).
2. `sudo ./tools/quickstart.sh run` (sudo's env_reset drops the session bus
   and the runtime dir): the app again runs as the person, in this session
   (it could not reach this accessibility bus otherwise), in Turkish.
3. The same with no display to be found: the plain refusal, and no app.

Never, at any moment, a process of the copy's build that is not the
person's.  Prints TAP lines without numbers ("ok - …"); the caller numbers
them.

    quickstart_user_driver.py COPY ARTIFACTS
"""

import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "gui-common"))

import eimza_gui as g  # noqa: E402  (sets dogtail up before importing it)
from eimza_gui import check, log, wait_for  # noqa: E402
import translations as tr  # noqa: E402

COPY = os.path.abspath(sys.argv[1])
ARTIFACTS = sys.argv[2]
APP = os.path.join(COPY, "_build", "src", "ui", "eimza-asistan")
UID = os.getuid()
USER = os.environ["USER"]
_ = tr._

# The first run builds the whole tree (ccache helps); the others find it built.
FIRST_START_TIMEOUT = float(os.environ.get("EIMZA_QUICKSTART_BUILD_TIMEOUT", "1500"))
START_TIMEOUT = 120.0

# What the person's terminal holds: nothing of the test's own settings.
PERSON_ENV = {k: v for k, v in os.environ.items()
              if k in ("HOME", "USER", "LOGNAME", "SHELL", "PATH", "TERM", "LANG",
                       "DISPLAY", "XAUTHORITY", "DBUS_SESSION_BUS_ADDRESS",
                       "XDG_RUNTIME_DIR", "CCACHE_READONLY", "CCACHE_TEMPDIR")}

ROOT_WARNING = _("Warning: E-Signature Assistant is running as root. Start it as the person "
                 "at the desktop, without sudo: it needs no root rights, and as root it "
                 "writes files that belong to root and misses your desktop session.")

failed = False


def result(ok, text, detail=None):
    global failed
    print("%s - %s" % ("ok" if ok else "not ok", text), flush=True)
    if not ok:
        failed = True
        for line in str(detail or "").splitlines():
            print("# " + line, flush=True)


def proc_status(pid):
    """{field: value} of /proc/PID/status (readable whoever owns PID)."""
    with open("/proc/%d/status" % pid) as f:
        return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)


def uids(pid):
    """Real, effective, saved and file-system uid of PID."""
    return [int(u) for u in proc_status(pid)["Uid"].split()]


def argv0(pid):
    with open("/proc/%d/cmdline" % pid, "rb") as f:
        return f.read().split(b"\0", 1)[0].decode(errors="replace")


def build_processes():
    """{pid: argv[0]} of every process started from the copy's build tree
    (the app, its simulator, the demo's card maker), whoever runs it."""
    found = {}
    prefix = os.path.join(COPY, "_build") + os.sep
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            name = argv0(int(entry))
        except OSError:
            continue
        if name.startswith(prefix):
            found[int(entry)] = name
    return found


class NotThePersonsError(g.AppDiedError):
    """A process of the copy's build that is not the person's: waiting on
    does not make that right (wait_for() does not catch it)."""


def check_owner():
    """Every process of the copy's build belongs to the person; returns them."""
    procs = build_processes()
    for pid, name in procs.items():
        try:
            ids = uids(pid)
        except OSError:
            continue  # gone meanwhile
        if ids != [UID] * 4:
            raise NotThePersonsError("%s (pid %d) runs with uids %r, not the person's %d"
                                     % (name, pid, ids, UID))
    return procs


class QuickstartApp(g.App):
    """The app that quickstart.sh started: proc is quickstart.sh (or sudo),
    the app's own process is app_pid."""

    def __init__(self, name, command, env):
        super().__init__(APP, ARTIFACTS, name)
        self.command = command
        self.run_env = env
        self.app_pid = None
        self.started = None

    def start(self, timeout=START_TIMEOUT):
        log("%s: running %s" % (self.name, " ".join(self.command)))
        self._stderr = open(self.stderr_path, "w")
        self._stdout = open(self.stdout_path, "w")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(self.command, cwd=COPY, env=self.run_env,
                                     stdin=subprocess.DEVNULL,
                                     stdout=self._stdout, stderr=self._stderr)

        def find_app():
            self._check_alive()
            check_owner()  # never as root, not even for a moment
            desktop = g.pyatspi.Registry.getDesktop(0)
            for i in range(desktop.childCount):
                node = desktop.getChildAtIndex(i)
                try:
                    pid = node.get_process_id()
                    if argv0(pid) == APP:
                        return node, pid
                except Exception:
                    continue
            return None

        self.root, self.app_pid = wait_for(
            find_app, "the app started by %s on this session's accessibility bus"
            % " ".join(self.command), timeout, interval=0.5)
        self.window = wait_for(self._showing_frame, "the app's main window to show", 30)
        log("%s: the app (pid %d) is up after %.1f s" % (self.name, self.app_pid,
                                                         time.monotonic() - self.started))
        return self

    def screenshot(self, label):
        path = os.path.join(ARTIFACTS, "%s-%s.png" % (self.name, label))
        time.sleep(0.3)
        wid = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(self.app_pid)],
                             capture_output=True, text=True).stdout.split()
        subprocess.run(["import", "-window", wid[-1] if wid else "root", path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        log("screenshot %s" % path)

    def output(self):
        text = ""
        for path in (self.stdout_path, self.stderr_path):
            with open(path, encoding="utf-8", errors="replace") as f:
                text += f.read()
        return text

    def kill_app(self):
        if self.app_pid is not None:
            try:
                os.kill(self.app_pid, 9)
            except OSError:
                pass
        if self.proc is not None:
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                pass


def run_to_welcome(label, command, env, timeout):
    """Start the app with command; check owner, language and the welcome
    page; quit it like a person.  One TAP line per check."""
    app = QuickstartApp(label, command, env)
    try:
        try:
            app.start(timeout)
        except AssertionError as exc:
            result(False, "%s: the app comes up" % " ".join(command),
                   "%s\n--- output:\n%s" % (exc, app.output()[-3000:]))
            return
        result(True, "%s starts the app (%.0f s)" % (" ".join(command),
                                                    time.monotonic() - app.started))
        try:
            procs = check_owner()
            check(app.app_pid in procs, "the app's pid %d is not among %r" % (app.app_pid, procs))
            check(uids(app.app_pid) == [UID] * 4 and UID != 0, "the app is not %s's" % USER)
            with open("/proc/%d/cmdline" % app.app_pid, "rb") as f:
                args = f.read().split(b"\0")
            check(b"--demo" in args, "the app was not started with --demo: %r" % args)
            names = sorted(os.path.basename(n) for n in procs.values())
            check("eimza-portal-sim" in names, "no demo simulator among %r" % names)
            result(True, "%s: the app (pid %d) and its demo (%s) run as %s (uid %d)"
                   % (label, app.app_pid, ", ".join(names), USER, UID))
        except AssertionError as exc:
            result(False, "%s: everything runs as %s" % (label, USER), exc)
        try:
            title = app.window.name
            check(title == "E-İmza Asistanı" and title == _("E-Signature Assistant"),
                  "the window title is %r" % title)
            renewal = app.find("push button", _("E-signature renewal application"))
            check(renewal.name == "E-imza yenileme başvurusu",
                  "the renewal button is %r" % renewal.name)
            app.find("toggle button", _("Demo"))
            strings = app.visible_strings()
            check(not any(s in strings for s in ("E-Signature Assistant",
                                                 "E-signature renewal application")),
                  "English on the Turkish welcome page: %s" % strings)
            app.screenshot("welcome")
            result(True, "%s: the welcome page is up in Turkish (%r)" % (label, title))
        except AssertionError as exc:
            app.screenshot("failed")
            result(False, "%s: the welcome page in Turkish" % label, exc)
        try:
            status = app.quit(timeout=30)
            check(status == 0, "%s exited with status %r" % (" ".join(command), status))
            wait_for(lambda: not build_processes(), "the app and its simulator to end", 10)
            text = app.output()
            check(ROOT_WARNING not in text and "running as root" not in text,
                  "the app warned that it runs as root")
            bad = [line for line in text.splitlines() if any(p.search(line) for p in g.BAD_STDERR)]
            check(not bad, "errors in the output:\n%s" % "\n".join(bad[:20]))
            result(True, "%s: quits cleanly, no root warning" % label)
        except Exception as exc:  # noqa: BLE001  (sudo cannot be signalled: PermissionError)
            result(False, "%s: quits cleanly" % label, "%s\n--- output:\n%s"
                   % (exc, app.output()[-3000:]))
    finally:
        app.kill_app()
        log("%s output in %s" % (label, app.stderr_path))


def refusal(env):
    """sudo without a display to be found: a plain message, no app, nothing built."""
    label = "sudo-no-display"
    command = ["sudo", "./tools/quickstart.sh", "run"]
    out_path = os.path.join(ARTIFACTS, label + "-output.log")
    seen = {}
    with open(out_path, "w") as out:
        proc = subprocess.Popen(command, cwd=COPY, env=env, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            seen.update(build_processes())
            time.sleep(0.1)
        if proc.poll() is None:
            proc.kill()
    status = proc.wait()
    with open(out_path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    try:
        check(status != 0, "exit status 0")
        check("never starts as root" in text, "no refusal in the output")
        check("./tools/quickstart.sh run" in text and USER in text,
              "the refusal does not say what %s should type" % USER)
        check("no display" in text, "the refusal does not say why")
        check(not re.search(r"Compiling|Installing|Starting", text), "it went on anyway")
        check(not seen, "the app's processes ran: %r" % seen)
        result(True, "sudo ./tools/quickstart.sh run with no display: the plain refusal")
    except AssertionError as exc:
        result(False, "sudo ./tools/quickstart.sh run with no display: the plain refusal",
               "%s\n--- output:\n%s" % (exc, text))


def main():
    os.makedirs(ARTIFACTS, exist_ok=True)
    check(UID != 0, "the driver must run as the unprivileged person")
    check(PERSON_ENV.get("LANG") == "tr_TR.UTF-8", "LANG is %r" % PERSON_ENV.get("LANG"))
    run_to_welcome("user", ["./tools/quickstart.sh", "run"], PERSON_ENV, FIRST_START_TIMEOUT)
    if not os.path.exists(APP):
        result(False, "the first run built %s" % APP)
        return
    run_to_welcome("sudo", ["sudo", "./tools/quickstart.sh", "run"], PERSON_ENV, START_TIMEOUT)
    no_display = {k: v for k, v in PERSON_ENV.items() if k not in ("DISPLAY", "XAUTHORITY")}
    refusal(no_display)


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # noqa: BLE001  (reported as a TAP failure)
        result(False, "the driver ran to its end", "%s: %s" % (type(exc).__name__, exc))
    sys.exit(1 if failed else 0)
