#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Dark theme, large text and HiDPI: the main pages of `eimza-asistan --demo`
(welcome, the badge, sign-in, form, SMS, method, the e-signed application,
the PIN dialog, the result) with GTK_THEME=Adwaita:dark, with text 1.5
times larger (GDK_DPI_SCALE=1.5) and with GDK_SCALE=2, walked with the
keyboard (the same walk as gui-keyboard: mouse coordinates are not needed,
whatever the scale).

At each page the app's test hook (EIMZA_TEST_STYLE_REPORT, SIGUSR1;
src/ui/eimza-style-check.c) reports, as GTK lays it out and styles it:
- every label that is cut off: ellipsized, given less room than it needs
  for its text (its minimum width, or its height for the width it got), or
  clipped by a container that does not scroll;
- every label's text colour and the colour it is drawn on (the background
  colours from its window down, opacity included), with their contrast
  ratio.  Labels styled by the app's own CSS (a class of src/ui/gtk/style.css
  on the label or a container of it) must reach 4.5:1, shown or hidden
  (the PIN dialog's last-try box is in the tree, hidden); so must every
  label in the dark run, where the window's background is checked to be
  dark, so that a light theme cannot pass for a dark one.
Screenshots of each page go to the artifacts directory.

Run through run-gui-themes-test.sh (meson test --suite gui-themes).
"""

import os
import re
import signal
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "gui-common"))

import eimza_gui as g  # noqa: E402  (sets dogtail up before importing it)
from eimza_gui import check, log, wait_for  # noqa: E402

import demo_app  # noqa: E402
import keyboard_walk  # noqa: E402

BUILDDIR = os.environ["EIMZA_BUILDDIR"]
SRCDIR = os.environ.get("EIMZA_SRCDIR", os.path.join(HERE, "..", ".."))
ARTIFACTS = os.environ.get("EIMZA_GUI_ARTIFACTS",
                           os.path.join(BUILDDIR, "tests", "gui-themes-artifacts"))
SCRATCH = os.environ["EIMZA_GUI_THEMES_SCRATCH"]
LANG = os.environ.get("EIMZA_GUI_LANG", "tr")
MIN_CONTRAST = 4.5


def app_css_classes():
    """The style classes the app's own CSS styles."""
    path = os.path.join(SRCDIR, "src", "ui", "gtk", "style.css")
    with open(path, encoding="utf-8") as f:
        css = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
    selectors = " ".join(re.findall(r"([^{}]+)\{", css))
    return set(re.findall(r"\.([a-zA-Z][\w-]*)", selectors))


APP_CLASSES = app_css_classes()


def luminance(hex_colour):
    def lin(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, gr, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * lin(r) + 0.7152 * lin(gr) + 0.0722 * lin(b)


class ThemeRun(keyboard_walk.KeyboardWalk):
    def __init__(self, variant, env, dark=False, scale=1):
        self.report_path = os.path.join(SCRATCH, "%s-style-report.txt" % variant)
        env = dict(env, EIMZA_TEST_STYLE_REPORT=self.report_path)
        super().__init__(ARTIFACTS, SCRATCH, "themes-%s-%s" % (variant, LANG), env)
        self.variant = variant
        self.dark = dark
        self.scale = scale
        self.serial = 0
        self.problems = []
        self.classes_checked = set()

    def report(self):
        """Ask the app for a report (SIGUSR1) and return its lines."""
        self.serial += 1
        self.app.proc.send_signal(signal.SIGUSR1)

        def done():
            try:
                with open(self.report_path, encoding="utf-8") as f:
                    text = f.read()
            except FileNotFoundError:
                return None
            return text if "end\t%d\n" % self.serial in text else None

        text = wait_for(done, "the app's style report %d" % self.serial)
        body = text.split("report\t%d\t" % self.serial, 1)[1].split("end\t%d\n" % self.serial)[0]
        return body.splitlines()

    def checkpoint(self, label):
        self.screenshot(label)
        lines = self.report()
        head = lines[0]
        check(head == "scale %d" % self.scale, "the app draws at %r, not scale %d"
              % (head, self.scale))
        problems = []
        shown_bg = []
        for line in lines[1:]:
            fields = line.split("\t")
            if fields[0] == "cut":
                problems.append("%s: cut off (%s): %s" % (label, fields[1], "\t".join(fields[2:])))
            elif fields[0] == "contrast":
                ratio, where, fg, bg, _kind, classes, path = fields[1:8]
                ours = APP_CLASSES & set(classes.split())
                if where == "shown":
                    shown_bg.append(bg)
                if not ours and not self.dark:
                    continue
                self.classes_checked |= ours
                if float(ratio) < MIN_CONTRAST:
                    problems.append("%s: contrast %s < %.1f (%s on %s, %s, classes %s): %s"
                                    % (label, ratio, MIN_CONTRAST, fg, bg, where,
                                       " ".join(sorted(ours)) or "-", path))
        if self.dark:
            # The dark theme is really in use: the pages are drawn on dark.
            check(shown_bg and max(luminance(b) for b in shown_bg) < 0.1,
                  "%s: the dark run draws on light backgrounds (%s)"
                  % (label, sorted(set(shown_bg))[-3:]))
        for p in problems:
            log(p)
        self.problems += problems
        check(not problems, "%d problem(s) on %s (see above)" % (len(problems), label))

    def step_done(self):
        log("%s: app CSS classes whose labels were checked: %s"
            % (self.variant, " ".join(sorted(self.classes_checked))))
        self.step_quit()


def main():
    demo_app.guard_demo_secrets()
    runs = [
        ThemeRun("dark", {"GTK_THEME": "Adwaita:dark"}, dark=True),
        ThemeRun("large-text", {"GDK_DPI_SCALE": "1.5"}),
        ThemeRun("hidpi", {"GDK_SCALE": "2"}, scale=2),
    ]
    # By hand, one variant: EIMZA_GUI_THEMES_ONLY=hidpi.
    only = os.environ.get("EIMZA_GUI_THEMES_ONLY")
    if only:
        runs = [r for r in runs if r.variant == only]
        check(runs, "no variant %r" % only)
    steps = []
    for r in runs:
        steps += [
            ("%s: welcome" % r.variant, r.step_start),
            ("%s: the Demo badge's popover" % r.variant, r.step_badge),
            ("%s: sign-in" % r.variant, r.step_sign_in),
            ("%s: the form" % r.variant, r.step_form),
            ("%s: SMS" % r.variant, r.step_sms),
            ("%s: the signing method" % r.variant, r.step_method),
            ("%s: the e-signed application and the PIN dialog" % r.variant, r.step_esign),
            ("%s: the result" % r.variant, r.step_result),
            ("%s: Ctrl+Q quits" % r.variant, r.step_done),
        ]

    def on_failure():
        for r in runs:
            r.on_failure()

    def final():
        errors = []
        for r in runs:
            try:
                r.final()
            except Exception as exc:
                errors.append(str(exc))
        check(not errors, "; ".join(errors))

    return g.run_checks(steps, final=("the apps close cleanly", final), on_failure=on_failure)


if __name__ == "__main__":
    sys.exit(main())
