#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keyboard-only GUI test: `eimza-asistan --demo` walked with key presses
alone (Tab, Shift+Tab, Enter, Space, arrows, mnemonics), in Turkish: the
whole renewal (sign-in with the captcha, the form, the SMS code, the signing
method, the e-signed application with the PIN dialog, the result) and the
whole e-onay (log-in, the login code's signature, the commitment, its
signature, the result).

No clicks and no AT-SPI actions: AT-SPI is only read (which control has the
focus, what a page shows).  Each page must put the focus on its first
field when it comes up, and every control used is reached from there with
Tab/Shift+Tab; the focused control must be on screen.

Run through run-gui-keyboard-test.sh (meson test --suite gui-keyboard).
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "gui-common"))

import eimza_gui as g  # noqa: E402  (sets dogtail up before importing it)

import demo_app  # noqa: E402
import keyboard_walk  # noqa: E402

BUILDDIR = os.environ["EIMZA_BUILDDIR"]
ARTIFACTS = os.environ.get("EIMZA_GUI_ARTIFACTS",
                           os.path.join(BUILDDIR, "tests", "gui-keyboard-artifacts"))
SCRATCH = os.environ["EIMZA_GUI_KEYBOARD_SCRATCH"]
LANG = os.environ.get("EIMZA_GUI_LANG", "tr")


class KeyboardTest(keyboard_walk.KeyboardWalk):
    def __init__(self):
        super().__init__(ARTIFACTS, SCRATCH, "keyboard-" + LANG)


def main():
    demo_app.guard_demo_secrets()
    t = KeyboardTest()
    steps = [
        ("the demo starts; the focus is on the first task", t.step_start),
        ("Shift+Tab to the Demo badge, Space opens it, Escape closes it", t.step_badge),
        ("renewal: sign-in with the captcha by keyboard, Enter continues", t.step_sign_in),
        ("renewal: the form by keyboard (Tab, arrows, Space), Enter confirms", t.step_form),
        ("renewal: the SMS code by keyboard", t.step_sms),
        ("renewal: the signing method by keyboard", t.step_method),
        ("renewal: the e-signed application and the PIN dialog by keyboard", t.step_esign),
        ("renewal: the result's Done by keyboard", t.step_result),
        ("e-onay: log-in, two signatures and the commitment by keyboard", t.step_eonay),
        ("Ctrl+Q quits", t.step_quit),
    ]
    return g.run_checks(steps, final=("the app closes cleanly", t.final),
                        on_failure=t.on_failure)


if __name__ == "__main__":
    sys.exit(main())
