#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""autopkgtest: the installed `eimza-asistan --demo`, in Turkish, reaches
the portal's sign-in page (TAP).

Run by demo-gui inside xvfb-run and dbus-run-session. The app is the one
on PATH (/usr/bin); it must start its portal simulator and virtual card
from /usr/libexec/eimza-asistan, show the Turkish welcome page and the
"Demo" badge, open the sign-in page when the renewal is chosen and show
the security image its simulator served (TLS through glib-networking).
Ctrl+Q quits, and the demo's temporary files and simulator are gone.
"""

import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import time

# dogtail refuses to start unless accessibility is on in the desktop's
# settings; with the memory backend it never is, and the a11y bus works
# anyway. Set BEFORE dogtail.tree is imported.
from dogtail.config import config

config.checkForA11y = False
config.logDebugToFile = False
config.logDebugToStdOut = False
config.actionDelay = 0.2
config.defaultDelay = 0.2

import pyatspi  # noqa: E402
from dogtail import rawinput  # noqa: E402
from dogtail import tree  # noqa: E402,F401  (sets up the Node mix-in)

sys.excepthook = sys.__excepthook__

APP = shutil.which("eimza-asistan")
SCRATCH = os.environ["DEMO_GUI_SCRATCH"]
ARTIFACTS = os.environ["DEMO_GUI_ARTIFACTS"]
HELPERS = "/usr/libexec/eimza-asistan"

# The Turkish texts, as po/tr.po has them.
TITLE = "E-İmza Asistanı"
RENEWAL = "E-imza yenileme başvurusu"
SIGN_IN = "Başvuru Portalına giriş"
SECURITY_IMAGE = "Güvenlik resmi"
BADGE = "Demo"
ENGLISH = ("E-Signature Assistant", "E-signature renewal application",
           "Sign in to the application portal")

n = 0
proc = None


class Failure(AssertionError):
    pass


def log(msg):
    print("# " + msg, flush=True)


def ok(desc):
    global n
    n += 1
    print("ok %d - %s" % (n, desc), flush=True)


def alive():
    if proc is not None and proc.poll() is not None:
        raise Failure("the app exited with status %s; stderr:\n%s"
                      % (proc.returncode, stderr_text()[-4000:]))


def wait_for(condition, what, timeout=30.0):
    deadline = time.monotonic() + timeout
    last = None
    while True:
        alive()
        try:
            value = condition()
            if value:
                return value
        except Failure:
            raise
        except Exception as exc:  # defunct accessibles while the UI changes
            last = exc
        if time.monotonic() >= deadline:
            raise Failure("timed out after %.0f s waiting for %s%s"
                          % (timeout, what, " (%s)" % last if last else ""))
        time.sleep(0.1)


def showing(node):
    states = node.getState()
    return states.contains(pyatspi.STATE_SHOWING) and states.contains(pyatspi.STATE_VISIBLE)


def walk(node, depth=0):
    if node is None or depth > 60:
        return
    yield node
    for i in range(node.childCount):
        yield from walk(node.getChildAtIndex(i), depth + 1)


def find(root, role, name):
    for node in walk(root):
        if node.roleName == role and node.name == name and showing(node):
            return node
    return None


def visible_texts(root):
    texts = set()
    for node in walk(root):
        if not showing(node):
            continue
        if node.name:
            texts.add(node.name)
        if node.roleName == "label":
            try:
                ti = node.queryText()
                texts.add(ti.getText(0, ti.characterCount))
            except NotImplementedError:
                pass
    return texts


def stderr_text():
    with open(os.path.join(ARTIFACTS, "app-stderr.log"), encoding="utf-8",
              errors="replace") as f:
        return f.read()


def screenshot(label):
    if shutil.which("import") is None:
        return
    path = os.path.join(ARTIFACTS, "demo-%s.png" % label)
    subprocess.run(["import", "-window", "root", path],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log("screenshot " + path)


def children_of(pid):
    out = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) != pid or fields[0] == "Z":
                continue
            child = int(stat.split("/")[2])
            out.append((child, os.readlink("/proc/%d/exe" % child)))
        except (OSError, IndexError, ValueError):
            continue
    return out


def running(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def main():
    global proc
    tmpdir = os.path.join(SCRATCH, "tmp")
    os.makedirs(tmpdir, mode=0o700)
    env = dict(os.environ)
    env.update({
        # A Turkish person's locale, whether or not it is generated here.
        "LANG": "tr_TR.UTF-8",
        "TMPDIR": tmpdir,
        # No pcscd of the machine: the demo needs none.
        "PCSCLITE_CSOCK_NAME": os.path.join(SCRATCH, "no-pcscd.comm"),
    })
    check(APP == "/usr/bin/eimza-asistan", "eimza-asistan on PATH is %r" % APP)
    log("starting %s --demo" % APP)
    with open(os.path.join(ARTIFACTS, "app-stderr.log"), "w") as err:
        proc = subprocess.Popen([APP, "--demo"], env=env, stdin=subprocess.DEVNULL,
                                stdout=err, stderr=err)

    def the_app():
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            if app is not None and app.get_process_id() == proc.pid:
                return app
        return None

    root = wait_for(the_app, "the app on the accessibility bus")
    window = wait_for(lambda: next((w for w in (root.getChildAtIndex(i)
                                                for i in range(root.childCount))
                                    if w is not None and w.roleName == "frame"
                                    and showing(w)), None),
                      "the main window")
    check(window.name == TITLE, "the window title is %r, not %r" % (window.name, TITLE))
    ok("the installed app starts; window title %r" % window.name)

    # The demo's helpers, from the private directory.
    helpers = wait_for(lambda: [exe for _pid, exe in children_of(proc.pid)
                                if exe.endswith("/eimza-portal-sim")],
                       "the demo's portal simulator to run")
    check(helpers == [HELPERS + "/eimza-portal-sim"],
          "the simulator runs from %r, not %s" % (helpers, HELPERS))
    sim_pid = next(pid for pid, exe in children_of(proc.pid)
                   if exe.endswith("/eimza-portal-sim"))
    ok("the demo's simulator runs from %s" % helpers[0])
    demo_dirs = glob.glob(os.path.join(tmpdir, "eimza-demo-*"))
    check(len(demo_dirs) == 1, "one demo directory in %s: %r" % (tmpdir, demo_dirs))
    check(os.path.exists(os.path.join(demo_dirs[0], "card", "softhsm2.conf")),
          "the demo made no virtual card (softhsm2 and gnutls-bin are installed)")
    ok("the demo made its virtual card in %s" % demo_dirs[0])

    badge = wait_for(lambda: find(window, "toggle button", BADGE), "the Demo badge")
    renewal = wait_for(lambda: find(window, "push button", RENEWAL),
                       "the %r button on the welcome page" % RENEWAL)
    texts = visible_texts(window)
    english = [t for t in ENGLISH if t in texts]
    check(not english, "English on the Turkish welcome page: %r" % english)
    ok("the welcome page is in Turkish, with the %r badge" % badge.name)
    screenshot("welcome")

    renewal.doActionNamed("click")
    wait_for(lambda: find(window, "label", SIGN_IN), "the sign-in page (%r)" % SIGN_IN)
    wait_for(lambda: any(n.name == SECURITY_IMAGE and showing(n) for n in walk(window)),
             "the security image from the demo's portal simulator", 40)
    ok("the sign-in page of the demo portal shows, with its security image")
    screenshot("sign-in")

    # Ctrl+Q as a person quits; the keys go to the window under the pointer
    # (there is no window manager).
    comp = window.queryComponent()
    x, y, w, h = comp.getExtents(pyatspi.DESKTOP_COORDS)
    rawinput.absoluteMotion(x + w // 2, y + h - 10)
    rawinput.keyCombo("<Control>q")
    try:
        status = proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGINT)
        raise Failure("the app did not quit on Ctrl+Q")
    proc = None
    check(status == 0, "the app exited with status %d" % status)
    bad = [line for line in stderr_text().splitlines()
           if re.search(r"-(CRITICAL|ERROR) \*\*", line)]
    check(not bad, "the app logged:\n" + "\n".join(bad))
    wait_for(lambda: not running(sim_pid), "the simulator to end", 10)
    check(not glob.glob(os.path.join(tmpdir, "eimza-demo-*")),
          "the demo left files in %s" % tmpdir)
    ok("Ctrl+Q quits; the demo's files and simulator are gone")


def check(cond, msg):
    if not cond:
        raise Failure(msg)


if __name__ == "__main__":
    try:
        main()
        print("1..%d" % n)
    except Exception as exc:
        print("not ok %d - %s" % (n + 1, exc), flush=True)
        print("1..%d" % (n + 1))
        if proc is not None:
            proc.kill()
            proc.wait()
        sys.exit(1)
