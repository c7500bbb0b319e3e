#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Accessibility GUI test: every page and dialog of `eimza-asistan --demo`,
in Turkish, read through AT-SPI as a screen reader reads it (a11y_check.py:
names, label relations, image descriptions, Tab through every control in
reading order), and what the app announces while the person waits
(atspi_announcements.py listens on the a11y bus like a screen reader):
the SMS page's resend wait and the signing step's time left are announced
at a few moments only, never every second.

The demo's simulator is started through a wrapper with a short resend wait
and signing deadline (EIMZA_PORTAL_SIM), so that the announcements come
within the test's time.

Run through run-gui-a11y-test.sh (meson test --suite gui-a11y)."""

import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "gui-common"))

SCRATCH = os.environ["EIMZA_GUI_A11Y_SCRATCH"]

import eimza_gui as g  # noqa: E402  (sets dogtail up before importing it)
from eimza_gui import check, log, wait_for  # noqa: E402
from dogtail import rawinput  # noqa: E402

import renewal_form as form  # noqa: E402
import translations as tr  # noqa: E402
import card_gui as cg  # noqa: E402
from card_gui import find_in, find_all_in  # noqa: E402
import a11y_check  # noqa: E402

BUILDDIR = os.environ["EIMZA_BUILDDIR"]
SRCDIR = os.environ.get("EIMZA_SRCDIR", os.path.join(HERE, "..", ".."))
APP = os.environ.get("EIMZA_APP", os.path.join(BUILDDIR, "src", "ui", "eimza-asistan"))
SIM = os.path.join(BUILDDIR, "tools", "portal-sim", "eimza-portal-sim")
ARTIFACTS = os.environ.get("EIMZA_GUI_ARTIFACTS",
                           os.path.join(BUILDDIR, "tests", "gui-a11y-artifacts"))
_ = cg._

# Short waits so that every announcement comes within the test.
SMS_RESEND_SECONDS = 33
SIGN_DEADLINE_SECONDS = 66

DEMO = {"tckn": "10000000214", "given": "Mehmet Çağrı", "surname": "Öztürk",
        "place": "İzmir", "date": "02.11.1978"}


class A11yTest(cg.CardGuiTest):

    def __init__(self):
        super().__init__(ARTIFACTS)
        self.problems = []
        self.captcha_log = os.path.join(SCRATCH, "captcha.txt")
        self.events_path = os.path.join(ARTIFACTS, "announcements.jsonl")
        self.listener = None
        self.pin = None
        self.last_captcha = None

    # -- helpers -------------------------------------------------------------

    def audit(self, root, page, tab=True, skip=(), pointer_in=None):
        """Check one page or dialog; its problems are kept for the last step
        and the page's screenshot saved."""
        found = a11y_check.check_page(root, page, pointer_in=pointer_in, tab=tab, skip=skip)
        self.problems += found
        self.screenshot("a11y-" + re.sub(r"[^a-z0-9]+", "-", page.lower()))
        return found

    def announcements(self, since=0.0):
        try:
            with open(self.events_path, encoding="utf-8") as f:
                events = [json.loads(line) for line in f if line.strip()]
        except FileNotFoundError:
            return []
        return [e for e in events if "text" in e and e["time"] >= since]

    def showings(self, since=0.0):
        """How often a live region was shown anew (once per announcement)."""
        with open(self.events_path, encoding="utf-8") as f:
            events = [json.loads(line) for line in f if line.strip()]
        return len([e for e in events if e.get("event", "").startswith("object:state-changed:showing")
                    and e["time"] >= since])

    def badge(self):
        return find_in(self.app.window, "toggle button", _("Demo"), what="the Demo badge")

    def open_badge(self):
        self.app.click(self.badge())
        title = find_in(self.app.root, "label", _("Demonstration"), what="the badge's popover")
        facts = {}
        for label in find_all_in(title.parent, "label"):
            for rel in label.getRelationSet():
                if rel.getRelationType() == g.pyatspi.RELATION_LABEL_FOR:
                    facts[label.name] = self.app.text_of(rel.getTarget(0))
        return title.parent, facts

    def close_popover(self, title):
        rawinput.pressKey("Escape")
        wait_for(lambda: not find_all_in(self.app.root, "label", title), "the popover to close")

    def status_button(self):
        others = (_("Main Menu"), _("Demo"))
        return wait_for(lambda: next((n for n in find_all_in(self.app.window, "toggle button")
                                      if n.name not in others), None), "the card status button")

    def main_menu_item(self, label):
        self.app.click(find_in(self.app.window, "toggle button", _("Main Menu")))
        return find_in(self.app.root, None, re.compile("^%s$" % re.escape(_(label))),
                       what="the main menu's %r" % label)

    def fill_captcha(self, text=None):
        entry = find_in(self.app.window, "text", _("Characters in the _image"))

        def new_captcha():
            try:
                with open(self.captcha_log, encoding="utf-8") as f:
                    t = f.read().strip()
            except FileNotFoundError:
                return None
            return t if t and t != self.last_captcha else None

        self.last_captcha = wait_for(new_captcha, "the captcha's text", 30)
        self.app.type_into(entry, text or self.last_captcha)

    # -- steps ---------------------------------------------------------------

    def step_start(self):
        os.makedirs(os.path.join(SCRATCH, "tmp"), mode=0o700, exist_ok=True)
        wrapper = os.path.join(SCRATCH, "portal-sim-short-waits")
        with open(wrapper, "w") as f:
            f.write("#!/bin/sh\nexec %s --sms-resend-seconds %d --sign-deadline-seconds %d "
                    "\"$@\"\n" % (SIM, SMS_RESEND_SECONDS, SIGN_DEADLINE_SECONDS))
        os.chmod(wrapper, 0o755)
        env = dict(cg.LOCALE_ENV)
        env.update({"TMPDIR": os.path.join(SCRATCH, "tmp"),
                    "EIMZA_DEMO_TEST_CAPTCHA_LOG": self.captcha_log,
                    "EIMZA_PORTAL_SIM": wrapper,
                    "PCSCLITE_CSOCK_NAME": os.path.join(SCRATCH, "no-pcscd.comm")})
        env.update(g.app_sanitizer_env())
        self.app = g.App(APP, ARTIFACTS, "a11y", env=env, args=["--demo"])
        self.app.start()
        self.listener = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(HERE, "atspi_announcements.py"),
             str(self.app.proc.pid), self.events_path],
            stdin=subprocess.DEVNULL)
        wait_for(lambda: os.path.exists(self.events_path), "the announcement listener", 10)
        # The card status settles first (it changes the header bar).
        wait_for(lambda: re.match("^%s" % re.escape(_("Virtual card")), self.status_button().name),
                 "the virtual card in the card status", 30)

    def step_welcome(self):
        self.audit(self.app.window, "welcome")

    def step_badge(self):
        popover, facts = self.open_badge()
        self.pin = facts.get(_("Card PIN"))
        check(self.pin, "the badge's popover gives no PIN")
        g.secret_canary.secret("PIN", self.pin)
        self.audit(popover, "demo badge popover", tab=False)
        self.close_popover(_("Demonstration"))

    def step_card_popover(self):
        self.app.click(self.status_button())
        cert = find_in(self.app.root, "push button", _("_Certificates…"))
        popover = cert.parent
        while popover is not None and popover.roleName not in ("popup menu", "panel", "window"):
            popover = popover.parent
        self.audit(popover or cert.parent, "card popover", tab=False)
        self.app.click(cert)
        dialog = self.top("dialog", _("Certificates on the Card"))
        find_in(dialog, "list item", re.compile(r"^MEHMET"), timeout=30)
        self.audit(dialog, "certificates dialog", pointer_in=dialog)
        rawinput.pressKey("Escape")
        self.top_gone("dialog", _("Certificates on the Card"))

    def step_diagnostics(self):
        self.app.click(self.status_button())
        self.app.click(find_in(self.app.root, "push button", _("_Diagnostics…")))
        dialog = self.top("dialog", _("Card Diagnostics"), timeout=30)
        time.sleep(1)
        self.audit(dialog, "diagnostics dialog", pointer_in=dialog)
        rawinput.pressKey("Escape")
        self.top_gone("dialog", _("Card Diagnostics"))

    def step_shortcuts(self):
        self.app.click(self.main_menu_item("_Keyboard Shortcuts"))
        win = wait_for(lambda: next((w for w in self.top_windows() if w != self.app.window),
                                    None), "the shortcuts window")
        self.audit(win, "keyboard shortcuts window", pointer_in=win)
        rawinput.pressKey("Escape")
        wait_for(lambda: len(self.top_windows()) == 1, "the shortcuts window to close")

    def step_about(self):
        self.app.click(self.main_menu_item("_About E-Signature Assistant"))
        win = wait_for(lambda: next((w for w in self.top_windows() if w != self.app.window),
                                    None), "the about dialog")
        self.audit(win, "about dialog", pointer_in=win)
        rawinput.pressKey("Escape")
        wait_for(lambda: len(self.top_windows()) == 1, "the about dialog to close")

    def step_sign_in(self):
        self.app.click(find_in(self.app.window, "push button",
                               _("E-signature renewal application")))
        for label, key in (("_T.C. Kimlik No", "tckn"), ("_Name", "given"),
                           ("_Surname", "surname"), ("Place of _birth", "place"),
                           ("_Date of birth", "date")):
            self.app.type_into(self.app.find("text", tr._(label), timeout=30), DEMO[key])
        # A wrong captcha first: the error bar, whose close button must
        # have a name.
        self.fill_captcha("XXXXXX")
        self.app.leave()
        cont = self.app.find("push button", tr._("_Continue"))
        wait_for(lambda: g.is_sensitive(cont), "Devam to become sensitive")
        self.app.click(cont)
        wait_for(lambda: any(n.roleName == "info bar" or n.roleName == "alert"
                             for n in a11y_check.showing_nodes(self.app.window)),
                 "the error bar of the wrong captcha", 30)
        time.sleep(0.5)
        self.audit(self.app.window, "sign-in page with its error bar")
        self.fill_captcha()
        self.app.leave()
        wait_for(lambda: g.is_sensitive(cont), "Devam to become sensitive")
        self.app.click(cont)
        self.app.find("push button", tr._("_Confirm form"), timeout=30)

    def step_form(self):
        confirm = self.app.find("push button", tr._("_Confirm form"))
        self.audit(self.app.window, "form page")
        for label, _turkish in form.FORM_RADIOS:
            radio = self.app.find("radio button", tr._(label))
            self.app.click(radio)
        for label, item in form.FORM_COMBOS:
            self.app.choose(self.app.find("combo box", tr._(label)), tr._(item))
        for label, value, _shown in form.FORM_ENTRIES:
            self.app.type_into(self.app.find("text", tr._(label)), value)
        self.app.leave()
        self.app.choose(self.app.find("combo box", tr._("_Province")), form.PROVINCE)
        district = self.app.find("combo box", tr._("_District"))
        wait_for(lambda: form.DISTRICT in self.app.combo_items(district), "the districts")
        self.app.choose(district, form.DISTRICT)
        self.app.type_into(self.app.find("text", tr._("P_ostal code")), form.POSTAL_CODE)
        self.app.leave()
        wait_for(lambda: g.is_sensitive(confirm), "Formu Onayla to become sensitive")
        self.app.click(confirm)
        self.app.find("push button", tr._("_Send Code"), timeout=30)

    def step_sms(self):
        """The resend wait is announced when the code is sent, at 30 s and
        when a new code may be asked for: a few times, not every second."""
        self.audit(self.app.window, "SMS page before the code is sent")
        sent = time.monotonic()
        self.app.click(self.app.find("push button", tr._("_Send Code")))
        code_entry = self.app.find("text", tr._("SMS approval code"))
        wait_for(lambda: g._states(code_entry).contains(g.pyatspi.STATE_FOCUSED),
                 "the SMS to be sent", 30)
        self.audit(self.app.window, "SMS page with the code sent")
        send = self.app.find("push button", tr._("_Send Code"))
        wait_for(lambda: g.is_sensitive(send), "Send Code to become sensitive again",
                 SMS_RESEND_SECONDS + 15)
        time.sleep(1.5)
        said = [e["text"] for e in self.announcements(sent)]
        log("announced on the SMS page: %r" % said)
        now = _("You can ask for a new code now.")
        check(said and said[-1] == now, "the end of the wait was not announced (%r)" % said)
        check(any(e == tr.ngettext("You can ask for a new code in %d second.",
                                   "You can ask for a new code in %d seconds.", 30) % 30
                  for e in said), "the 30 s mark was not announced (%r)" % said)
        check(len(said) <= 4, "announced %d times in a %d s wait: %r"
              % (len(said), SMS_RESEND_SECONDS, said))
        check(self.showings(sent) == len(said), "%d announcements but shown %d times"
              % (len(said), self.showings(sent)))
        _panel, facts = self.open_badge()
        code = facts.get(_("Last SMS code"), "")
        check(re.fullmatch(r"[0-9]{6}", code), "no SMS code in the badge")
        g.secret_canary.secret("SMS code", code)
        self.close_popover(_("Demonstration"))
        self.app.type_into(code_entry, code)
        confirm = self.app.find("push button", tr._("_Confirm"))
        wait_for(lambda: g.is_sensitive(confirm), "Onayla to become sensitive")
        self.app.click(confirm)
        self.app.find("push button", tr._("Sign with my e-signature card"), timeout=30)

    def step_method(self):
        self.audit(self.app.window, "signing method page")

    def step_esign(self):
        """The e-signed application (after the e-onay, so that the method
        page was seen with both choices), signed with the card."""
        self.app.click(self.app.find("push button", tr._("Sign with my e-signature card"),
                                     timeout=30))
        self.wait_text(_("Sign your application"), "the signing step's heading", timeout=30)
        sign = find_in(self.app.window, "push button", _("_Sign"), timeout=30)
        self.wait_sensitive(sign, "Sign to be sensitive", timeout=30)
        self.audit(self.app.window, "e-signed application page")
        pane = self.app._scroll_pane_of(sign)
        px, py, pw, ph = self.app.extents(pane)
        for _i in range(40):
            x, y, w, h = self.app.extents(sign)
            if g.is_showing(sign) and py <= y and y + h <= py + ph:
                break
            # The page's margin, beside the text views.
            rawinput.click(px + 10, py + ph // 2, button=5)
            time.sleep(0.05)
        self.app.click(sign)
        self.enter_pin(self.pin)

    def step_eonay(self):
        self.app.click(self.app.find("push button", _("_Give your e-onay now…")))
        find_in(self.app.window, "combo box", _("Certificate to log in with"), timeout=30)
        entry = find_in(self.app.window, "text", _("T.C. Kimlik No"))
        wait_for(lambda: self.app.text_of(entry) == DEMO["tckn"], "the T.C. Kimlik No")
        self.audit(self.app.window, "e-onay step 1 identity")
        self.app.click(self.step_button("_Log In"))
        pin = self.pin_dialog()
        self.audit(pin, "PIN dialog", pointer_in=pin)
        self.enter_pin(self.pin, accept="_Log In")
        self.wait_text(_("Step 2 of 4: Sign the login code"), "step 2", timeout=30)
        shown = time.monotonic()
        self.audit(self.app.window, "e-onay step 2 sign the login code")
        # The time left is announced at 1 min, 30 s and when it ran out.
        expired = _("The time for this signature ran out. Nothing was signed. Start the step "
                    "again to get a new verification code; what you entered is kept.")
        self.wait_text(expired, "the signing time to run out", SIGN_DEADLINE_SECONDS + 60)
        time.sleep(1.5)
        said = [e["text"] for e in self.announcements(shown)]
        log("announced on the signing step: %r" % said)
        check(any(s == tr.ngettext("%d minute left to sign.", "%d minutes left to sign.", 1) % 1
                  for s in said), "the 1 minute mark was not announced (%r)" % said)
        check(any(s == tr.ngettext("%d second left to sign.", "%d seconds left to sign.", 30)
                  % 30 for s in said), "the 30 s mark was not announced (%r)" % said)
        check(said and said[-1] == expired, "the end of the time was not announced (%r)" % said)
        check(len(said) <= 5, "announced %d times while signing: %r" % (len(said), said))
        self.audit(self.app.window, "e-onay step 2 time ran out")
        self.app.click(self.step_button("_Start Again"))
        self.wait_text(_("Step 2 of 4: Sign the login code"), "step 2 again", timeout=30)
        self.app.click(self.sign_step_sign())
        self.enter_pin(self.pin)
        self.wait_text(_("Step 3 of 4: Read the commitment"), "step 3", timeout=30)
        self.audit(self.app.window, "e-onay step 3 commitment")
        self.app.click(find_in(self.app.window, "check box",
                               _("I have _read the commitment and accept it")))
        self.app.click(self.step_button("_Continue"))
        self.wait_text(_("Step 4 of 4: Sign the commitment"), "step 4", timeout=30)
        self.audit(self.app.window, "e-onay step 4 sign the commitment")
        self.app.click(self.sign_step_sign())
        self.enter_pin(self.pin)
        self.wait_text(_("Your e-onay is active"), "e-onay active", timeout=30)
        self.audit(self.app.window, "e-onay result")
        self.app.click(self.step_button("_Done"))
        eonay = self.app.find("push button", tr._("Apply with my e-onay"), timeout=30)
        wait_for(lambda: g.is_sensitive(eonay), "Apply with my e-onay", 30)
        self.audit(self.app.window, "signing method page after the e-onay")

    def step_result(self):
        self.app.find("label", tr._("Your application has been received"), timeout=30)
        self.audit(self.app.window, "result page")

    def step_jnlp(self):
        """A .jnlp opened with the app (here one that cannot be used: its
        page explains why). The demo is its own instance, so it quits
        first and the file gets an app of its own."""
        self.final_quit_demo()
        path = os.path.join(SRCDIR, "tests", "portal", "jnlp", "http-codebase.jnlp")
        env = dict(cg.LOCALE_ENV)
        env.update(g.app_sanitizer_env())
        self.app = g.App(APP, ARTIFACTS, "a11y-jnlp", env=env, args=[path])
        self.app.start()
        self.wait_text(_("This file cannot be used"), "the .jnlp page", timeout=30)
        # With no window manager, the keyboard stays with the demo's window
        # that is gone: give it to this one.
        wid = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid",
                              str(self.app.proc.pid)], capture_output=True, text=True).stdout.split()
        check(wid, "no X window of the app")
        subprocess.run(["xdotool", "windowfocus", "--sync", wid[-1]], check=True, timeout=10)
        self.audit(self.app.window, ".jnlp page")

    def final_quit_demo(self):
        """Ctrl+Q, as a person quits the demo."""
        proc = self.app.proc
        x, y, w, h = self.app.extents(self.app.window)
        rawinput.absoluteMotion(x + w // 2, y + h - 10)
        rawinput.keyCombo("<Control>q")
        proc.wait(20)
        status = self.app.quit()
        check(status == 0, "the demo exited with status %s" % status)
        self.app.check_stderr()

    def step_no_problems(self):
        check(not self.problems, "%d accessibility problems:\n%s"
              % (len(self.problems), "\n".join(self.problems)))

    def final(self):
        if self.listener is not None:
            self.listener.terminate()
            self.listener.wait(5)
        self.final_quit()


def main():
    g.secret_canary.secret("T.C. Kimlik No", DEMO["tckn"])
    g.secret_canary.secret("date of birth", DEMO["date"])
    g.secret_canary.name(DEMO["given"] + " " + DEMO["surname"])
    t = A11yTest()
    steps = [
        ("the demo starts", t.step_start),
        ("welcome page", t.step_welcome),
        ("demo badge", t.step_badge),
        ("sign-in page and its error bar", t.step_sign_in),
        ("form page", t.step_form),
        ("SMS page; its wait announced at a few moments", t.step_sms),
        ("signing method page", t.step_method),
        ("every e-onay step, the PIN dialog; the time left announced", t.step_eonay),
        ("e-signed application page, signed with the card", t.step_esign),
        ("result page", t.step_result),
        # Windows of their own last: with no window manager, the main
        # window does not get the keyboard back once one was open.
        ("card popover and certificates dialog", t.step_card_popover),
        ("diagnostics dialog", t.step_diagnostics),
        ("keyboard shortcuts window", t.step_shortcuts),
        ("about dialog", t.step_about),
        (".jnlp page", t.step_jnlp),
        ("no accessibility problem on any page", t.step_no_problems),
    ]
    return g.run_checks(steps, final=("the app closes cleanly", t.final),
                        on_failure=t.on_failure)


if __name__ == "__main__":
    sys.exit(main())
