# SPDX-License-Identifier: GPL-3.0-or-later
"""Driving the app with the keyboard alone (gui-keyboard, gui-themes).

Keys are real X key events (XTest, through dogtail's rawinput); AT-SPI is
only read: which control has the focus, what a page shows.  No clicks and
no AT-SPI actions.  With no window manager, X gives the keys to the window
under the pointer, so the pointer is moved (not clicked) over the window
that should have them, as a person's hand rests on the mouse.

Import eimza_gui first (it sets dogtail up).
"""

import os
import time

import eimza_gui as g
from eimza_gui import check, log, wait_for
from dogtail import rawinput
from gi.repository import GLib

import translations as tr

# How long a key's effect (a focus move) may take to show on the bus.
SETTLE = 0.12


def _focused_below(node, depth=0):
    """The focused node below node: showing children only, but inside a
    scrolled window also those scrolled out of view (the test then checks
    whether the focus is on screen)."""
    if depth > 60:
        return None
    try:
        count = node.childCount
        scroll = node.roleName in ("scroll pane", "viewport")
    except Exception:
        return None
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
            st = child.getState() if child is not None else None
        except Exception:
            continue
        if st is None or not st.contains(g.pyatspi.STATE_VISIBLE):
            continue
        if not scroll and not st.contains(g.pyatspi.STATE_SHOWING) and depth > 0:
            continue
        if st.contains(g.pyatspi.STATE_FOCUSED):
            return child
        found = _focused_below(child, depth + 1)
        if found is not None:
            return found
    return None


def matches(node, role, name):
    try:
        if role is not None and node.roleName != role:
            return False
        if name is None:
            return True
        n = node.name or ""
        return bool(name.search(n)) if hasattr(name, "search") else n == name
    except Exception:
        return False


def mnemonic_key(msgid):
    """The Alt+key of a label's mnemonic in the UI's language, or None."""
    text = tr._catalogue.gettext(msgid) if tr.TURKISH else msgid
    i = text.find("_")
    if i < 0 or i + 1 >= len(text):
        return None
    letter = text[i + 1].lower()
    return letter if letter.isascii() and letter.isalnum() else None


class Keyboard:
    def __init__(self, app, scale=1):
        self.app = app
        self.scale = scale
        self.presses = 0
        # GTK 3 gives a combo box's focus to its inner button, which is not
        # among the combo box's accessible children: only the focus event
        # names it (in a box of the combo box). The last one is kept.
        self.last_focus_event = None
        g.pyatspi.Registry.registerEventListener(self._focus_event_cb,
                                                 "object:state-changed:focused")

    def _focus_event_cb(self, event):
        if event.detail1:
            self.last_focus_event = event.source

    def _pump_events(self):
        context = GLib.MainContext.default()
        while context.pending():
            context.iteration(False)

    def _announced_combo(self):
        """The combo box whose inner button GTK announced as focused last
        (a focus event for any other control comes after it once the focus
        moves on), if it shows."""
        self._pump_events()
        node = self.last_focus_event
        try:
            combo = node.parent if node is not None else None
            # GTK 3.24 puts the button in a box (a filler) of the combo box.
            if combo is not None and combo.roleName == "filler":
                combo = combo.parent
            if (combo is None or node.roleName != "toggle button" or combo.roleName != "combo box"
                    or not g.is_showing(combo)):
                log("no focused control; the last focus event was %s's, in %s"
                    % (g.describe(node), g.describe(combo)))
                return None
        except Exception:
            return None
        return combo

    # -- where the keys go ------------------------------------------------------

    def rest_pointer_on(self, window):
        """Move the pointer (no click) into window, so that X gives it the
        keys. Extents are in GTK's logical pixels: times the scale."""
        x, y, w, h = window.queryComponent().getExtents(g.pyatspi.DESKTOP_COORDS)
        rawinput.absoluteMotion((x + w // 2) * self.scale, (y + 4) * self.scale)
        time.sleep(0.1)

    def _keep_keys_on_app(self):
        """Without a window manager X gives the keys to the window under
        the pointer (PointerRoot), and no window is active while the pointer
        is elsewhere; a window manager would keep the app's window active.
        Once seen (it happened once in a clean-clone CI run, after the SMS
        page's request), the pointer rests on the app's topmost window
        again, as at the start; said in the log. No click: the app's own
        focus is what the test then reads."""
        windows = self.windows()
        try:
            if not windows or any(w.getState().contains(g.pyatspi.STATE_ACTIVE) for w in windows):
                return
        except Exception:
            return
        log("no window of the app is active (the pointer left it, no window manager): "
            "resting the pointer on %s again" % g.describe(windows[-1]))
        self.rest_pointer_on(windows[-1])

    def windows(self):
        out = []
        for i in range(self.app.root.childCount):
            w = self.app.root.getChildAtIndex(i)
            if w is not None and g.is_showing(w):
                out.append(w)
        return out

    def focused(self):
        """The control that has the keyboard focus: in an active window."""
        self._keep_keys_on_app()
        for w in self.windows():
            try:
                if not w.getState().contains(g.pyatspi.STATE_ACTIVE):
                    continue
            except Exception:
                continue
            found = _focused_below(w)
            if found is not None:
                return found
            return self._announced_combo()
        return None

    # -- keys -------------------------------------------------------------------

    def press(self, key):
        self.presses += 1
        rawinput.pressKey(key)
        time.sleep(SETTLE)

    def combo(self, keys):
        self.presses += 1
        rawinput.keyCombo(keys)
        time.sleep(SETTLE)

    def mnemonic(self, msgid):
        key = mnemonic_key(msgid)
        check(key is not None, "%r has no mnemonic a keyboard can type" % tr._(msgid))
        self.combo("<Alt>%s" % key)

    # -- focus ------------------------------------------------------------------

    def wait_focus(self, role, name, what, timeout=g.DEFAULT_TIMEOUT):
        """Without a key: the focus lands on [role | name] (a page that
        comes up puts it on its first field)."""
        def on_it():
            f = self.focused()
            return f if f is not None and matches(f, role, name) else None

        try:
            node = wait_for(on_it, what, timeout)
        except g.GuiTestError:
            raise g.GuiTestError("%s: the focus is on %s" % (what, g.describe(self.focused())))
        self.check_on_screen(node)
        return node

    def tab_to(self, role, name, key="Tab", limit=40):
        """Press key (Tab, Shift+Tab's "<Shift>Tab", an arrow) until the focus
        is on [role | name]; fail after limit presses. Returns the node."""
        seen = []
        for _i in range(limit + 1):
            f = wait_for(lambda: self.focused() or None, "a control with the focus", 5)
            if matches(f, role, name):
                self.check_on_screen(f)
                return f
            seen.append(g.describe(f))
            if key.startswith("<"):
                self.combo(key)
            else:
                self.press(key)
        raise g.GuiTestError("%d × %s never reached [%s | %r]; the focus went %s"
                             % (limit, key, role, getattr(name, "pattern", name),
                                " → ".join(seen[-15:])))

    def check_on_screen(self, node):
        """A person sees where the focus is: the focused control is on
        screen (a scrolled page follows the focus)."""
        wait_for(lambda: g.is_showing(node),
                 "the focused %s to be scrolled into view" % g.describe(node), 5)

    # -- typing -------------------------------------------------------------------

    def type_here(self, node, text, attempts=3):
        """Type text into the focused field node (replacing what it holds).
        A remapped key is now and then lost (see App.type_into): the field
        is emptied and typed again."""
        check(node.getState().contains(g.pyatspi.STATE_FOCUSED),
              "%s does not have the focus" % g.describe(node))
        for attempt in range(1, attempts + 1):
            if self.app.text_of(node):
                self.combo("<Control>a")
                self.press("BackSpace")
                wait_for(lambda: self.app.text_of(node) == "", "%s to be emptied"
                         % g.describe(node))
            log("type %r into %s" % (text, g.describe(node)))
            rawinput.typeText(text)
            try:
                wait_for(lambda: self.app.text_of(node) == text, "%s to contain %r"
                         % (g.describe(node), text), g.DEFAULT_TIMEOUT if attempt == attempts
                         else 3.0)
                return
            except g.GuiTestError:
                if attempt == attempts:
                    raise
                log("a typed key was lost; typing again")

    def type_secret_here(self, node, text):
        check(node.getState().contains(g.pyatspi.STATE_FOCUSED),
              "%s does not have the focus" % g.describe(node))
        rawinput.typeText(text)
        wait_for(lambda: node.queryText().characterCount == len(text),
                 "the entry to hold %d characters" % len(text))

    def choose_here(self, combo, item):
        """A focused combo box: the arrow keys move its choice (no popup)."""
        check(matches(self.focused(), "combo box", combo.name),
              "%s does not have the focus" % g.describe(combo))
        names = self.app.combo_items(combo)
        check(item in names, "%s has no item %r" % (g.describe(combo), item))
        value = self.app.combo_value(combo)
        current = names.index(value) if value in names else -1
        if current < 0:
            self.press("Home")
            current = 0
        target = names.index(item)
        for _i in range(abs(target - current)):
            rawinput.pressKey("Down" if target > current else "Up")
        self.presses += abs(target - current)
        wait_for(lambda: self.app.combo_value(combo) == item,
                 "%s to show %r (shows %r)" % (g.describe(combo), item,
                                               self.app.combo_value(combo)))


def scale_from_env(app_env=None):
    """The app's GDK_SCALE: from the environment it is started with (a
    gui-themes variant), else from the test's own."""
    value = (app_env or {}).get("GDK_SCALE", os.environ.get("GDK_SCALE", "1"))
    try:
        return int(value)
    except ValueError:
        return 1
