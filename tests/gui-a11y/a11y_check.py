# SPDX-License-Identifier: GPL-3.0-or-later
"""What a screen reader and a keyboard need of one page or dialog, read from
its AT-SPI tree:

- every control a person can act on or move the focus to has a name;
- every entry is labelled by a label (ATK_RELATION_LABELLED_BY), which is
  what a screen reader reads when the entry takes the focus;
- every image has a description;
- Tab reaches every control, in reading order (top to bottom, then left to
  right), with real key presses: the focused object is read after each.

check_page() returns the problems found (an empty list: none)."""

import time

import pyatspi
from dogtail import rawinput
from gi.repository import GLib

import eimza_gui as g

# Roles a person acts on (or types into).
ACTIONABLE = {
    "push button", "toggle button", "check box", "radio button", "combo box",
    "menu item", "check menu item", "radio menu item", "link", "spin button",
    "text", "password text", "entry", "slider", "list item", "page tab",
    "tree item", "table cell",
}
# Roles that take text: each needs a label.
ENTRIES = {"text", "password text", "entry", "spin button"}
IMAGES = {"icon", "image", "animation"}


def _st(node):
    return g._states(node)


def _has(node, state):
    st = _st(node)
    return bool(st) and st.contains(state)


def showing_nodes(root):
    """Everything on the page below root, in tree order: what is showing,
    and inside a scrolled window also what is scrolled out of view (a
    person scrolls to it; Tab scrolls to it)."""
    return list(g._walk(root))


def _inside_role(node, roles):
    p = node.parent
    while p is not None:
        try:
            if p.roleName in roles:
                return True
        except Exception:
            return False
        p = p.parent
    return False


def _labelled_by(node):
    try:
        for rel in node.getRelationSet():
            if rel.getRelationType() == pyatspi.RELATION_LABELLED_BY and rel.getNTargets() > 0:
                return True
    except Exception:
        pass
    return False


def _where(node):
    try:
        x, y, w, h = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        return "at (%d, %d) %dx%d" % (x, y, w, h)
    except Exception:
        return ""


def _link_text(node):
    """A link in a label is named by its text in the label (what a screen
    reader reads through the label's hypertext)."""
    try:
        parent = node.parent
        if parent is None or parent.roleName != "label":
            return ""
        hypertext = parent.queryHypertext()
        count = hypertext.getNLinks()
        for i in range(count):
            link = hypertext.getLink(i)
            # GTK 3 gives its label links no index in their parent.
            if link is not None and (count == 1 or link.getObject(0) == node):
                return parent.queryText().getText(link.startIndex, link.endIndex).strip()
    except Exception:
        pass
    return ""


def _has_focusable_below(node):
    for child in showing_nodes(node):
        if _has(child, pyatspi.STATE_FOCUSABLE):
            return True
    return False


# Containers that GTK makes focusable for scrolling; with controls inside,
# Tab goes to those, never to the container.
CONTAINERS = {"scroll pane", "viewport", "panel", "filler"}


def naming_problems(root, page):
    """Controls without names, entries without labels, images without
    descriptions below root."""
    problems = []
    for node in showing_nodes(root):
        try:
            role = node.roleName
            name = (node.name or "").strip()
        except Exception:
            continue
        what = "%s: %s %s" % (page, g.describe(node), _where(node))
        # A combo box's own menu and its items are named by their text.
        focusable = _has(node, pyatspi.STATE_FOCUSABLE)
        actionable = role in ACTIONABLE
        if role == "label":
            # A selectable label is focusable; its text is what is read.
            continue
        if role in CONTAINERS and _has_focusable_below(node):
            continue
        if role == "link" and not name:
            name = _link_text(node)
        if (focusable or actionable) and not name:
            if role in ENTRIES and _labelled_by(node):
                pass  # the screen reader reads its label
            else:
                problems.append("%s: a control without a name" % what)
        if role in ENTRIES and not _labelled_by(node) and not _inside_role(node, {"combo box"}):
            problems.append("%s: an entry without a label relation (labelled-by)" % what)
        if role in IMAGES:
            try:
                desc = (node.description or "").strip()
            except Exception:
                desc = ""
            if not desc:
                problems.append("%s: an image without a description" % what)
    return problems


def _combo_is_empty(combo):
    try:
        for i in range(combo.childCount):
            menu = combo.getChildAtIndex(i)
            if menu is not None and menu.roleName == "menu":
                return menu.childCount == 0
    except Exception:
        pass
    return False


def focusable_controls(root):
    """The controls Tab must reach: showing, sensitive and focusable, but
    not the items inside a combo box's menu or a list (reached by arrows)."""
    out = []
    for node in showing_nodes(root):
        try:
            if node.roleName == "label":
                continue
            if node.roleName in CONTAINERS and _has_focusable_below(node):
                continue
            # A combo box is reached through its inner button, which is
            # not in the tree: GTK 3 does not call the combo focusable.
            focusable = _has(node, pyatspi.STATE_FOCUSABLE) or node.roleName == "combo box"
            if not (focusable and _has(node, pyatspi.STATE_SENSITIVE)):
                continue
            if node.roleName == "combo box" and _combo_is_empty(node):
                continue  # GTK 3 makes the button of an empty combo insensitive
            if _inside_role(node, {"menu", "combo box", "list box", "list", "tree table",
                                   "table"}):
                continue
            out.append(node)
        except Exception:
            continue
    return out


def _group_reached(node, seen):
    """Tab goes into a group of radio buttons once (the arrows move in
    it): one of the group reached is enough."""
    try:
        if node.roleName != "radio button":
            return False
        for rel in node.getRelationSet():
            if rel.getRelationType() == pyatspi.RELATION_MEMBER_OF:
                members = [rel.getTarget(i) for i in range(rel.getNTargets())]
                return any(m in seen for m in members)
    except Exception:
        pass
    return False


class _FocusEvents:
    """The focus events a screen reader follows: GTK 3 reports the focus
    of some controls only so (a combo box, whose inner button has the
    focus, never has the state FOCUSED)."""

    def __init__(self):
        self.last = None
        pyatspi.Registry.registerEventListener(self._on_event, "object:state-changed:focused")

    def _on_event(self, event):
        if event.detail1:
            self.last = event.source

    def pump(self):
        context = GLib.MainContext.default()
        while context.iteration(False):
            pass


_focus_events = None


def _focus_tracker():
    global _focus_events
    if _focus_events is None:
        _focus_events = _FocusEvents()
    return _focus_events


def _link_reached(node, seen):
    """The links of a label are reached through the label, which has the
    focus while Tab moves from link to link in it."""
    try:
        return node.roleName == "link" and node.parent in seen
    except Exception:
        return False


def _focused_of(candidates, root):
    tracker = _focus_tracker()
    tracker.pump()
    if tracker.last is not None:
        # A combo box's inner button has the focus (GTK 3 puts it beside
        # the combo in the tree, where it covers the combo): the combo is
        # what a screen reader presents.
        node = tracker.last
        try:
            if node.roleName == "toggle button" and not node.name:
                x, y, w, h = _extents(node)
                for combo in candidates:
                    if combo.roleName != "combo box":
                        continue
                    cx, cy, cw, ch = _extents(combo)
                    if cx <= x and cy <= y and x + w <= cx + cw and y + h <= cy + ch:
                        return combo
        except Exception:
            pass
        return node
    for node in candidates:
        if _has(node, pyatspi.STATE_FOCUSED):
            return node
    for node in showing_nodes(root):
        if _has(node, pyatspi.STATE_FOCUSED):
            return node
    return None


def _focus_anywhere(root):
    """What has the focus, searched in the whole tree (hidden parts too)."""
    found = []

    def walk(node, depth):
        if depth > 60:
            return
        try:
            if _has(node, pyatspi.STATE_FOCUSED):
                found.append("%s showing=%s" % (g.describe(node), g.is_showing(node)))
            for i in range(node.childCount):
                walk(node.getChildAtIndex(i), depth + 1)
        except Exception:
            return

    app = root
    while app.parent is not None and app.roleName != "application":
        app = app.parent
    walk(app, 0)
    return "focused: " + (", ".join(found) or "nothing")


def _screenshot_root(label):
    import os
    import re
    import subprocess
    path = os.path.join(os.environ.get("EIMZA_GUI_ARTIFACTS", "."),
                        "a11y-%s.png" % re.sub(r"[^a-z0-9]+", "-", label.lower()))
    subprocess.run(["import", "-window", "root", path], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    g.log("screenshot %s" % path)


def _extents(node):
    try:
        return tuple(node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS))
    except Exception:
        return (0, 0, 0, 0)


def _scroll_offset(node):
    """How far the scrolled window around node is scrolled down."""
    p = node.parent
    while p is not None:
        try:
            if p.roleName == "scroll pane":
                for i in range(p.childCount):
                    c = p.getChildAtIndex(i)
                    if c is not None and c.roleName == "scroll bar" and \
                            _has(c, pyatspi.STATE_VERTICAL):
                        return int(c.queryValue().currentValue)
                return 0
            p = p.parent
        except Exception:
            return 0
    return 0


def _page_extents(node):
    """Extents on the page: a control Tab scrolled into view is compared
    with one seen before the page scrolled."""
    x, y, w, h = _extents(node)
    return (x, y + _scroll_offset(node), w, h)


def _reading_key(ext):
    x, y, w, h = ext
    return (y + h // 2, x)


def tab_problems(root, page, pointer_in=None, skip=()):
    """Press Tab until the focus comes back to where it started; every
    focusable control must have had the focus, in reading order.

    pointer_in: the window the pointer is moved into (with no window
    manager, X sends keys to the window under the pointer). skip: names of
    controls Tab is not meant to reach."""
    problems = []
    candidates = [n for n in focusable_controls(root) if n.name not in skip]
    if not candidates:
        return problems
    if pointer_in is not None:
        x, y, w, h = _extents(pointer_in)
        rawinput.absoluteMotion(x + w // 2, y + min(h - 5, 10) if h > 20 else y + h // 2)
        time.sleep(0.1)
    _focus_tracker().pump()
    _focus_tracker().last = None
    seen = []
    where = {}
    cycle_start = 0
    limit = len(candidates) * 2 + 10
    for _i in range(limit):
        rawinput.pressKey("Tab")
        node = None
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            node = _focused_of(candidates, root)
            if node is not None and (not seen or node != seen[-1]):
                break
            time.sleep(0.05)
        if node is None:
            problems.append("%s: after Tab no control of the page has the focus (%s)"
                            % (page, _focus_anywhere(root)))
            _screenshot_root(page + "-focus-lost")
            break
        if seen and node == seen[-1] and len(candidates) == 1:
            break
        if seen and node == seen[-1]:
            problems.append("%s: Tab does not move the focus on from %s"
                            % (page, g.describe(node)))
            break
        if node in seen:
            # Round once: the cycle starts where the focus came back to
            # (the first focus may be outside it, e.g. a dialog's default).
            cycle_start = seen.index(node)
            break
        seen.append(node)
        where[len(seen) - 1] = _page_extents(node)
    g.log("%s: Tab goes %s" % (page, " -> ".join(g.describe(n) for n in seen)))
    missed = [n for n in candidates if n not in seen and not _group_reached(n, seen)
              and not _link_reached(n, seen)]
    for n in missed:
        problems.append("%s: Tab never reaches %s %s" % (page, g.describe(n), _where(n)))
    # Reading order: rotate the cycle to start at the first control in
    # reading order; then no control may come before the one Tab left.
    if seen:
        cycle = list(range(cycle_start, len(seen)))
        first = min(cycle, key=lambda i: _reading_key(where[i]))
        order = list(range(first, len(seen))) + list(range(cycle_start, first))
        for ia, ib in zip(order, order[1:]):
            a, b = seen[ia], seen[ib]
            ax, ay, aw, ah = where[ia]
            bx, by, bw, bh = where[ib]
            # b is above a's row, or on a's row but to its left.
            above = by + bh <= ay + 2
            same_row = not above and by < ay + ah and ay < by + bh
            if above or (same_row and bx + bw <= ax + 2):
                problems.append("%s: Tab goes from %s at %r back to %s at %r (not reading order)"
                                % (page, g.describe(a), where[ia], g.describe(b), where[ib]))
    return problems


def check_page(root, page, pointer_in=None, tab=True, skip=()):
    problems = naming_problems(root, page)
    if tab:
        problems += tab_problems(root, page, pointer_in or root, skip)
    for p in problems:
        g.log("a11y: " + p)
    return problems
