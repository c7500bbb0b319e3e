# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for driving E-İmza Asistanı through AT-SPI like a person would.

Controls are found by role and accessible name (every control has one, the
text of its label), clicked with synthesized mouse events and typed into with
synthesized key events.  Every wait has a timeout and fails with a message
that says what was being waited for.  Meant to run inside
a private Xvfb and `dbus-run-session -- …`; see gui-env.sh (gui_run).
"""

import os
import re
import select
import signal
import subprocess
import sys
import time

# dogtail refuses to start unless accessibility is switched on in the
# desktop's GSettings; with the memory backend it never is, and the a11y bus
# works anyway.  This must be set BEFORE dogtail.tree is imported.
from dogtail.config import config  # noqa: E402

config.checkForA11y = False
config.logDebugToFile = False
config.logDebugToStdOut = False
# Defaults are tuned for slow desktops (1 s after each action); the checks
# below wait for the state they need instead.
config.actionDelay = 0.2
config.typingDelay = 0.02
config.defaultDelay = 0.2
config.searchBackoffDuration = 0.2
config.childrenLimit = 1000

import pyatspi  # noqa: E402
from dogtail import rawinput  # noqa: E402
from dogtail import tree  # noqa: E402,F401  (sets up the Node mix-in)
from gi.repository import Gdk  # noqa: E402  (dogtail.rawinput loaded Gdk 3.0)

import secret_canary  # noqa: E402

# dogtail replaces sys.excepthook with one that writes tracebacks only to its
# own log; a failing test must show them.
sys.excepthook = sys.__excepthook__

DEFAULT_TIMEOUT = 15.0

# Lines on the app's stderr that mean a bug, whatever else the test saw.
BAD_STDERR = [
    re.compile(r"ERROR: AddressSanitizer"),
    re.compile(r"runtime error:"),  # UBSan
    re.compile(r"SUMMARY: UndefinedSanitizer"),
    re.compile(r"SUMMARY: AddressSanitizer: (?![0-9]+ byte\(s\) leaked)"),
    re.compile(r"-CRITICAL \*\*"),
    re.compile(r"-ERROR \*\*"),
]


# LeakSanitizer's report at the app's exit (gui-env.sh: exitcode=0, so the
# report is judged here, record by record).
LEAK_REPORT_LINES = [
    re.compile(r"ERROR: LeakSanitizer: detected memory leaks"),
    re.compile(r"SUMMARY: AddressSanitizer: [0-9]+ byte\(s\) leaked"),
]
LEAK_RECORD = re.compile(r"^(?:Direct|Indirect) leak of .*?(?=\n\n|\n[^ ]|\Z)", re.M | re.S)
# GLib's one leak that no suppression can name: g_quark_init()'s first block
# of 2048 quark pointers, dropped on purpose when the 2048th quark is made
# (gquark.c, quark_new(): lock-free readers may still use it).  The app
# unwinds fast, which stops in GLib (no frame pointers): the stack is
# malloc <- g_malloc and nothing else.
GLIB_QUARK_BLOCK = re.compile(
    r"^Direct leak of 16384 byte\(s\) in 1 object\(s\) allocated from:\n"
    r" +#0 0x[0-9a-f]+ in (?:__interceptor_)?malloc [^\n]*\n"
    r" +#1 0x[0-9a-f]+ in g_malloc \([^\n]*/libglib-2\.0\.so[^\n]*\)\s*$")


def leaks_reported(stderr_text):
    """The leak records of LeakSanitizer's reports in stderr_text, but for
    GLib's quark block (at most one per run)."""
    records = LEAK_RECORD.findall(stderr_text)
    reports = len(LEAK_REPORT_LINES[0].findall(stderr_text))
    quark_blocks = [r for r in records if GLIB_QUARK_BLOCK.match(r)]
    others = [r for r in records if not GLIB_QUARK_BLOCK.match(r)]
    return others + quark_blocks[reports:]


class GuiTestError(AssertionError):
    pass


class AppDiedError(AssertionError):
    """The app is gone: no point in waiting any longer (wait_for does not
    catch this one)."""


# Called by wait_for() on every poll; App.start() registers its check.
_liveness_checks = []


def app_sanitizer_env():
    """The app's sanitizer and allocator settings that gui-env.sh chose
    (EIMZA_APP_ASAN_OPTIONS, …): leak checks on, with GTK's one-offs
    suppressed.  The test's own tools run without them."""
    env = {}
    for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "G_SLICE"):
        value = os.environ.get("EIMZA_APP_" + name)
        if value:
            env[name] = value
    return env


def log(msg):
    print("# " + msg, flush=True)


def wait_for(condition, what, timeout=DEFAULT_TIMEOUT, interval=0.1):
    """Poll condition() until it returns a true value, and return that value.

    Exceptions from AT-SPI while the UI changes (defunct objects) count as
    "not yet".
    """
    deadline = time.monotonic() + timeout
    last_exc = None
    while True:
        for alive in _liveness_checks:
            alive()  # raises AppDiedError: waiting on a dead app is pointless
        try:
            value = condition()
            if value:
                return value
        except (LookupError, RuntimeError, GuiTestError) as exc:
            last_exc = exc
        except Exception as exc:  # GLib.GError from AT-SPI calls
            if type(exc).__name__ != "GError":
                raise
            last_exc = exc
        if time.monotonic() >= deadline:
            detail = " (last error: %s)" % last_exc if last_exc else ""
            raise GuiTestError("timed out after %.0f s waiting for %s%s" % (timeout, what, detail))
        time.sleep(interval)


def check(cond, msg):
    if not cond:
        raise GuiTestError(msg)


def _states(node):
    try:
        return node.getState()
    except Exception:
        return None


def is_showing(node):
    st = _states(node)
    return bool(st) and st.contains(pyatspi.STATE_SHOWING) and st.contains(pyatspi.STATE_VISIBLE)


def is_sensitive(node):
    st = _states(node)
    return bool(st) and st.contains(pyatspi.STATE_SENSITIVE)


def describe(node):
    try:
        return "[%s | %r]" % (node.roleName, node.name)
    except Exception:
        return "[defunct]"


def _is_visible(node):
    st = _states(node)
    return bool(st) and st.contains(pyatspi.STATE_VISIBLE)


def _walk(node, depth=0, max_depth=60, in_scroll=False):
    """Depth-first walk over what is on the current page.

    Outside scrolled windows only SHOWING children are entered, which skips
    the hidden pages of a GtkStack.  Inside a scrolled window a control that
    is scrolled out of view is not SHOWING but still on the page, so there
    VISIBLE is enough (a person would scroll to it; see App.scroll_into_view).
    """
    if depth > max_depth:
        return
    try:
        count = node.childCount
        scroll = in_scroll or node.roleName == "scroll pane"
    except Exception:
        return
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        if child is None:
            continue
        if not (_is_visible(child) if scroll else is_showing(child)):
            continue
        yield child
        yield from _walk(child, depth + 1, max_depth, scroll)


def dump_tree(node, out, depth=0, max_depth=60):
    """Write the accessible tree below node (role, name, key states) to out."""
    if depth > max_depth:
        return
    st = _states(node)
    flags = []
    if st:
        for state, flag in ((pyatspi.STATE_SHOWING, "showing"),
                            (pyatspi.STATE_SENSITIVE, "sensitive"),
                            (pyatspi.STATE_FOCUSED, "focused"),
                            (pyatspi.STATE_CHECKED, "checked")):
            if st.contains(state):
                flags.append(flag)
    text = ""
    try:
        ti = node.queryText()
        text = " text=%r" % ti.getText(0, min(ti.characterCount, 80))
    except Exception:
        pass
    out.write("%s%s%s {%s}\n" % ("  " * depth, describe(node), text, ",".join(flags)))
    try:
        count = node.childCount
    except Exception:
        return
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        if child is not None:
            dump_tree(child, out, depth + 1, max_depth)


class App:
    """One running instance of the app under test."""

    def __init__(self, binary, artifacts, name, env=None, args=()):
        self.binary = binary
        self.artifacts = artifacts
        self.name = name
        self.stderr_path = os.path.join(artifacts, "%s-stderr.log" % name)
        self.stdout_path = os.path.join(artifacts, "%s-stdout.log" % name)
        self.env = dict(os.environ)
        # Every message the app can log, for the secret canary.
        self.env["G_MESSAGES_DEBUG"] = "all"
        self.env.update(env or {})
        self.args = list(args)
        self.proc = None
        self.root = None
        secret_canary.log_file(self.stderr_path)
        secret_canary.log_file(self.stdout_path)
        self.shot_count = 0

    # -- life cycle ---------------------------------------------------------

    def start(self, timeout=30.0):
        log("starting %s %s (%s)" % (self.binary, " ".join(self.args), self.name))
        self._stderr = open(self.stderr_path, "w")
        self._stdout = open(self.stdout_path, "w")
        self.proc = subprocess.Popen([self.binary] + self.args, env=self.env,
                                     stdin=subprocess.DEVNULL,
                                     stdout=self._stdout, stderr=self._stderr)
        _liveness_checks.append(self._check_alive)

        def find_app():
            self._check_alive()
            desktop = pyatspi.Registry.getDesktop(0)
            for i in range(desktop.childCount):
                app = desktop.getChildAtIndex(i)
                try:
                    if app is not None and app.get_process_id() == self.proc.pid:
                        return app
                except Exception:
                    continue
            return None

        self.root = wait_for(find_app, "the app (pid %d) on the accessibility bus" % self.proc.pid,
                             timeout)
        self.window = wait_for(lambda: self._showing_frame(), "the app's main window to show",
                               timeout)
        log("app is up: %s, window %s" % (describe(self.root), describe(self.window)))
        return self

    def _showing_frame(self):
        self._check_alive()
        for i in range(self.root.childCount):
            w = self.root.getChildAtIndex(i)
            if w is not None and w.roleName == "frame" and is_showing(w):
                return w
        return None

    def _check_alive(self):
        if self.proc.poll() is not None:
            raise AppDiedError("the app exited unexpectedly with status %s; stderr:\n%s"
                               % (self.proc.returncode, self.stderr_tail()))

    def quit(self, timeout=15.0):
        """Close the main window like a person (the close button, else
        Ctrl+Q); fall back to SIGTERM.  Returns the exit status."""
        if self._check_alive in _liveness_checks:
            _liveness_checks.remove(self._check_alive)
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        # A window left open over the main one (a step run alone with
        # EIMZA_GUI_UNTIL stops where it stops) is closed first, as a person
        # would: a modal one keeps the main window's Close from working.
        self._close_other_windows()
        try:
            close = self.find("push button", re.compile(r"^(Close|Kapat)$"), timeout=2)
            self.click(close)
        except GuiTestError:
            try:
                self.window.keyCombo("<Control>q")
            except Exception:
                pass
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            log("app did not exit after closing the window; sending SIGTERM")
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._stderr.close()
        self._stdout.close()
        return self.proc.returncode

    def _close_other_windows(self):
        """Close every showing window of the app but the main one, with its
        own Close button, else Escape."""
        try:
            others = [self.root.getChildAtIndex(i) for i in range(self.root.childCount)]
        except Exception:
            return
        for w in others:
            try:
                if w is None or w == self.window or not is_showing(w):
                    continue
                close = self.find("push button", re.compile(r"^(Close|Kapat)$"), timeout=1,
                                  parent=w)
                self.click(close)
            except GuiTestError:
                try:
                    w.keyCombo("Escape")
                except Exception:
                    pass
            except Exception:
                continue

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stderr_text(self):
        if not self._stderr.closed:
            self._stderr.flush()
        with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stderr_tail(self, lines=40):
        return "\n".join(self.stderr_text().splitlines()[-lines:])

    def check_stderr(self):
        """Fail on sanitizer reports, CRITICALs and ERRORs in the app's
        stderr, and on every leak LeakSanitizer reported at its exit (but
        GLib's quark block, see leaks_reported)."""
        text = self.stderr_text()
        bad = [line for line in text.splitlines() if any(p.search(line) for p in BAD_STDERR)]
        check(not bad, "the app reported errors on stderr (%s):\n%s"
              % (self.stderr_path, "\n".join(bad[:20])))
        leaks = leaks_reported(text)
        check(not leaks, "LeakSanitizer reported %d leak(s) at the app's exit (%s):\n%s"
              % (len(leaks), self.stderr_path, "\n\n".join(leaks[:5])))

    # -- finding controls ---------------------------------------------------

    def find_all(self, role=None, name=None, parent=None):
        """All controls on the current page with the given role name and
        accessible name (a string for an exact match, or a compiled regex)."""
        found = []
        for node in _walk(parent or self.window):
            try:
                if role is not None and node.roleName != role:
                    continue
                if name is not None:
                    n = node.name or ""
                    if hasattr(name, "search"):
                        if not name.search(n):
                            continue
                    elif n != name:
                        continue
            except Exception:
                continue
            found.append(node)
        return found

    def find(self, role, name, timeout=DEFAULT_TIMEOUT, parent=None):
        """The one control on the current page with this role and name."""
        def one():
            self._check_alive()
            nodes = self.find_all(role, name, parent)
            if len(nodes) > 1:
                # The same label on two pages is fine; twice on one page is not.
                raise GuiTestError("%d controls [%s | %r] on the page" % (len(nodes), role, name))
            return nodes[0] if nodes else None

        return wait_for(one, "control [%s | %r]" % (role, getattr(name, "pattern", name)), timeout)

    def exists(self, role, name):
        return bool(self.find_all(role, name))

    def wait_gone(self, role, name, timeout=DEFAULT_TIMEOUT):
        wait_for(lambda: not self.exists(role, name),
                 "control [%s | %r] to disappear" % (role, getattr(name, "pattern", name)), timeout)

    def visible_strings(self):
        """Names and texts of everything on the current page."""
        strings = []
        for node in _walk(self.window):
            try:
                if node.name:
                    strings.append(node.name)
                try:
                    ti = node.queryText()
                    t = ti.getText(0, ti.characterCount)
                    if t:
                        strings.append(t)
                except NotImplementedError:
                    pass
            except Exception:
                continue
        return strings

    def labels_near(self, node, levels=3):
        """Texts of the visible labels in the few containers around node:
        where a person looks for a message about that control."""
        texts = []
        container = node
        for _ in range(levels):
            container = container.parent
            if container is None:
                break
        if container is None:
            return texts
        for n in _walk(container, in_scroll=True):
            try:
                if n.roleName == "label" and _is_visible(n):
                    texts.append(self.text_of(n))
            except Exception:
                continue
        return texts

    # -- acting -------------------------------------------------------------

    @staticmethod
    def extents(node):
        return node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)

    def _scroll_pane_of(self, node):
        p = node.parent
        while p is not None:
            try:
                if p.roleName == "scroll pane":
                    return p
            except Exception:
                return None
            p = p.parent
        return None

    def _vscroll_value(self, pane):
        """(value, min, max) of the pane's vertical scroll bar, or None."""
        for i in range(pane.childCount):
            c = pane.getChildAtIndex(i)
            try:
                if c is not None and c.roleName == "scroll bar" and \
                        _states(c).contains(pyatspi.STATE_VERTICAL):
                    v = c.queryValue()
                    return v.currentValue, v.minimumValue, v.maximumValue
            except Exception:
                continue
        return None

    def scroll_into_view(self, node, timeout=DEFAULT_TIMEOUT):
        """Turn the mouse wheel over the page until node is fully in view.

        A control scrolled out of view has no position (GTK reports
        G_MININT), so the wheel turns down to the end of the page first and
        then up, until the control shows."""
        pane = self._scroll_pane_of(node)
        if pane is None:
            return
        deadline = time.monotonic() + timeout
        direction = 5  # button 4 turns the wheel up, 5 down
        while True:
            px, py, pw, ph = self.extents(pane)
            # Only the part of the page that is on the screen counts.
            ph = min(ph, Gdk.Screen.get_default().get_height() - py)
            x, y, w, h = self.extents(node)
            known = is_showing(node) and y > -(1 << 30)
            if known and y >= py and y + h <= py + ph:
                return
            if time.monotonic() > deadline:
                raise GuiTestError("could not scroll %s into view" % describe(node))
            if known:
                direction = 5 if y + h > py + ph else 4
            else:
                bar = self._vscroll_value(pane)
                if bar is not None:
                    value, low, high = bar
                    if direction == 5 and value >= high - 1:
                        direction = 4
                    elif direction == 4 and value <= low + 1:
                        direction = 5
            rawinput.click(px + pw // 2, py + ph // 2, button=direction)
            time.sleep(0.05)

    def settled_extents(self, node, timeout=DEFAULT_TIMEOUT):
        """node's extents once it has a size and stays put: a page that
        slides in (the window's stack) moves its controls for a moment, and
        a click where a control was is a click on nothing."""
        last = [None]

        def settled():
            now = tuple(self.extents(node))
            if now[2] > 0 and now[3] > 0 and now == last[0]:
                return now
            last[0] = now
            return None

        return wait_for(settled, "%s to have a size and stop moving" % describe(node),
                        timeout, interval=0.15)

    def click(self, node, timeout=DEFAULT_TIMEOUT):
        """Scroll node into view and click in its middle, once it is sensitive."""
        self.scroll_into_view(node, timeout)
        wait_for(lambda: is_showing(node) and is_sensitive(node),
                 "%s to be showing and sensitive before clicking" % describe(node), timeout)
        x, y, w, h = self.settled_extents(node, timeout)
        log("click %s at (%d, %d)" % (describe(node), x + w // 2, y + h // 2))
        rawinput.click(x + w // 2, y + h // 2)

    def text_of(self, node):
        ti = node.queryText()
        return ti.getText(0, ti.characterCount)

    def _safe_text(self, node):
        try:
            return self.text_of(node)
        except Exception:
            return None

    def focus(self, node, timeout=DEFAULT_TIMEOUT):
        self.click(node, timeout)
        wait_for(lambda: _states(node).contains(pyatspi.STATE_FOCUSED),
                 "%s to take the keyboard focus" % describe(node), timeout)

    def type_into(self, node, text, timeout=DEFAULT_TIMEOUT, attempts=3):
        """Click into a text field, replace its contents by typing text, and
        wait until the field shows exactly that.

        Letters that are not on the X keyboard map (ö, ğ, ş, İ, …) are typed
        through a keycode that the a11y registry remaps on the fly, and now
        and then the first of them is lost (seen: "Öğretmen" arriving as
        "ğretmen").  Like a person who sees a typo, the field is then
        emptied and typed again; a field that never shows the text (the
        app changing it) still fails."""
        for attempt in range(1, attempts + 1):
            self.focus(node, timeout)
            if self.text_of(node):
                rawinput.keyCombo("<Control>a")
                rawinput.pressKey("BackSpace")
                wait_for(lambda: self.text_of(node) == "", "%s to be emptied" % describe(node),
                         timeout)
            log("type %r into %s" % (text, describe(node)))
            rawinput.typeText(text)
            last = attempt == attempts
            try:
                wait_for(lambda: self.text_of(node) == text,
                         "%s to contain %r" % (describe(node), text), timeout if last else 3.0)
                return
            except GuiTestError as exc:
                if last:
                    raise GuiTestError("%s (has %r)" % (exc, self._safe_text(node)))
                log("%s shows %r instead of %r: a typed key was lost, typing again"
                    % (describe(node), self._safe_text(node), text))

    def leave(self):
        """Move the focus on with Tab, as a person leaving a field does."""
        rawinput.pressKey("Tab")

    def choose(self, combo, item, timeout=DEFAULT_TIMEOUT):
        """Choose item in a combo box: open it with the mouse and click the
        item if it is on screen, otherwise close it and use the arrow keys
        (long lists such as the 81 provinces do not fit on the screen)."""
        names = self.combo_items(combo)
        check(item in names, "%s has no item %r (items: %s)" % (describe(combo), item, names[:20]))
        self.click(combo)
        menu_item = None

        def popped_up_item():
            for n in _walk(combo, in_scroll=True):
                if n.roleName == "menu item" and n.name == item:
                    return n
            return None

        try:
            menu_item = wait_for(lambda: (lambda n: n if n is not None and is_showing(n) else None)(popped_up_item()),
                                 "the item %r in the open list" % item, 2.0)
        except GuiTestError:
            menu_item = None
        if menu_item is not None:
            x, y, w, h = self.extents(menu_item)
            sh = Gdk.Screen.get_default().get_height()
            if w > 0 and h > 0 and y >= 0 and y + h <= sh:
                log("click item %r of %s" % (item, describe(combo)))
                rawinput.click(x + w // 2, y + h // 2)
            else:
                menu_item = None
        if menu_item is None:
            rawinput.pressKey("Escape")
            time.sleep(0.2)
            target = names.index(item)
            value = self.combo_value(combo)
            current = names.index(value) if value in names else -1
            log("choose %r in %s with the keyboard" % (item, describe(combo)))
            if current < 0:
                rawinput.pressKey("Home")
                current = 0
            key = "Down" if target > current else "Up"
            for _ in range(abs(target - current)):
                rawinput.pressKey(key)
        wait_for(lambda: self.combo_value(combo) == item,
                 "%s to show %r (shows %r)" % (describe(combo), item, self.combo_value(combo)),
                 timeout)

    def combo_items(self, combo):
        """The names of a combo box's items, in order (the popup menu's
        items, whether the menu is open or not)."""
        items = []

        def visit(n):
            for i in range(n.childCount):
                c = n.getChildAtIndex(i)
                if c is None:
                    continue
                if c.roleName == "menu item":
                    items.append(c.name)
                visit(c)

        visit(combo)
        return items

    def combo_value(self, combo):
        """The text of the chosen item; the combo's own accessible name is
        its label's."""
        try:
            sel = combo.querySelection()
            if sel.nSelectedChildren > 0:
                return sel.getSelectedChild(0).name
        except NotImplementedError:
            pass
        return None

    def press(self, key):
        rawinput.pressKey(key)

    def key_combo(self, combo):
        rawinput.keyCombo(combo)

    # -- evidence -----------------------------------------------------------

    def screenshot(self, label):
        """Save a PNG of the app's window into the artifacts directory."""
        self.shot_count += 1
        path = os.path.join(self.artifacts, "%s-%02d-%s.png" % (self.name, self.shot_count, label))
        time.sleep(0.3)  # let the last frame be drawn
        wid = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(self.proc.pid)],
                             capture_output=True, text=True).stdout.split()
        target = wid[-1] if wid else "root"
        subprocess.run(["import", "-window", target, path], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        log("screenshot %s" % path)
        return path

    def dump(self, label):
        path = os.path.join(self.artifacts, "%s-tree-%s.txt" % (self.name, label))
        with open(path, "w", encoding="utf-8") as out:
            dump_tree(self.root, out)
        log("accessible tree written to %s" % path)
        return path


class PortalSim:
    """The portal simulator (tools/portal-sim) on a free port, with the test
    endpoints on, the current captcha text written to a file and every SMS
    code the portal sends appended to another (the person's phone).

    Several can run side by side: each has a name of its own for its files
    (NAME-captcha.txt, NAME-sms.log, NAME-stderr.log), and extra command-line
    options (e.g. a short --session-timeout).  Its stderr also logs every
    request (G_MESSAGES_DEBUG), which the test uses to know when the app has
    fetched a page."""

    def __init__(self, binary, workdir, name="sim", args=()):
        self.binary = binary
        self.workdir = workdir
        self.name = name
        self.args = list(args)
        self.captcha_log = os.path.join(workdir, "%s-captcha.txt" % name)
        self.sms_log = os.path.join(workdir, "%s-sms.log" % name)
        self.stderr_path = os.path.join(workdir, "%s-stderr.log" % name)
        self.proc = None
        self.url = None
        self.ca = None
        secret_canary.log_file(self.stderr_path)

    def start(self, timeout=20.0):
        log("starting the portal simulator %s (%s) %s" % (self.binary, self.name, " ".join(self.args)))
        for path in (self.captcha_log, self.sms_log):
            if os.path.exists(path):
                os.unlink(path)
        env = dict(os.environ)
        # Every message, for the secret canary; requests() reads the
        # simulator's own request lines among them.
        env["G_MESSAGES_DEBUG"] = "all"
        self._stderr = open(self.stderr_path, "w")
        self.proc = subprocess.Popen([self.binary, "--port", "0", "--test-endpoints",
                                      "--captcha-log", self.captcha_log,
                                      "--sms-log", self.sms_log] + self.args,
                                     env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self._stderr, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline().strip() if ready else ""
        m = re.match(r"^listening (https://127\.0\.0\.1:[0-9]+)/ ca=(.+)$", line)
        if not m:
            self.stop()
            raise GuiTestError("the portal simulator printed %r, not its listening line" % line)
        self.url, self.ca = m.group(1), m.group(2)
        log("portal simulator %s at %s (pid %d)" % (self.name, self.url, self.proc.pid))
        return self

    def captcha(self):
        """The text of the captcha the simulator showed last ("" if none)."""
        try:
            with open(self.captcha_log, encoding="utf-8") as f:
                return f.read().strip()
        except FileNotFoundError:
            return ""

    def sms_messages(self):
        """[(phone, code)] of every SMS the portal sent, oldest first."""
        try:
            with open(self.sms_log, encoding="utf-8") as f:
                lines = f.read().splitlines()
        except FileNotFoundError:
            return []
        messages = []
        for line in lines:
            parts = line.split()
            if len(parts) == 3:
                messages.append((parts[1], parts[2]))
                secret_canary.secret("SMS code", parts[2])
        return messages

    def requests(self, pattern=None):
        """The requests the simulator answered ("GET /bp/meb.go -> 200"),
        oldest first; only those matching pattern (a regex) if given."""
        self._stderr.flush()
        with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
            found = []
            for line in f:
                m = re.search(r"eimza-portal-sim-DEBUG: [0-9:.]+: (.*)$", line.rstrip())
                if m and (pattern is None or re.search(pattern, m.group(1))):
                    found.append(m.group(1))
            return found

    def stop(self):
        """Stop it with SIGTERM (it must end cleanly); return the status."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        log("stopping the portal simulator %s (pid %d)" % (self.name, self.proc.pid))
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._stderr.close()
        return self.proc.returncode


def _last_step_wanted(steps):
    """EIMZA_GUI_UNTIL=TEXT runs a suite's steps up to the first whose name
    holds TEXT (or up to step number TEXT), then only the final step: one
    step with what it builds on. Unset: every step."""
    until = os.environ.get("EIMZA_GUI_UNTIL", "").strip()
    if not until:
        return len(steps)
    if until.isdigit() and 1 <= int(until) <= len(steps):
        return int(until)
    for i, (name, _func) in enumerate(steps, 1):
        if until.casefold() in name.casefold():
            return i
    raise GuiTestError("EIMZA_GUI_UNTIL=%r names no step of this suite" % until)


def run_checks(steps, final=None, on_failure=None):
    """Run the (name, function) steps in order and print TAP.

    The steps build on each other, so after a failure the rest are skipped;
    the final step (closing the app, checking its stderr) always runs.
    Returns the exit status."""
    import traceback

    checks = list(steps) + ([final] if final else [])
    print("1..%d" % (len(checks) + 1), flush=True)
    last = _last_step_wanted(steps)
    failed = None
    for i, (name, func) in enumerate(checks, 1):
        is_final = final is not None and i == len(checks)
        if failed is not None and not is_final:
            print("ok %d - %s # SKIP after the failure of step %d" % (i, name, failed), flush=True)
            continue
        if i > last and not is_final:
            print("ok %d - %s # SKIP EIMZA_GUI_UNTIL stopped after step %d" % (i, name, last),
                  flush=True)
            continue
        start = time.monotonic()
        try:
            func()
        except Exception as exc:
            print("not ok %d - %s" % (i, name), flush=True)
            for line in ("%s: %s" % (type(exc).__name__, exc)).splitlines():
                print("#   " + line, flush=True)
            for line in traceback.format_exc().splitlines():
                print("#   " + line, flush=True)
            if failed is None:
                failed = i
                if on_failure is not None and not is_final:
                    on_failure()
        else:
            print("ok %d - %s (%.1f s)" % (i, name, time.monotonic() - start), flush=True)
    # After every program has ended and flushed its logs.
    canary = len(checks) + 1
    try:
        secret_canary.check_nothing_logged()
    except AssertionError as exc:
        print("not ok %d - no PIN, T.C. Kimlik No, SMS code, security word or name in any log"
              % canary, flush=True)
        for line in str(exc).splitlines():
            print("#   " + line, flush=True)
        failed = failed or canary
    else:
        print("ok %d - no PIN, T.C. Kimlik No, SMS code, security word or name in any log"
              % canary, flush=True)
    return 1 if failed is not None else 0


__all__ = ["App", "AppDiedError", "GuiTestError", "PortalSim", "app_sanitizer_env", "check", "log",
           "run_checks", "wait_for"]
