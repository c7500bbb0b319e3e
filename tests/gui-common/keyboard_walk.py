# SPDX-License-Identifier: GPL-3.0-or-later
"""The demo's renewal and e-onay walked with key presses alone (gui-keyboard,
gui-themes): see tests/gui-keyboard/test_gui_keyboard.py for what is walked.

Import eimza_gui first (it sets dogtail up).
"""

import re
import subprocess

import eimza_gui as g
from eimza_gui import check, log, wait_for

import demo_app
import keyboard
import renewal_form as form
import translations as tr
from card_gui import find_in, texts_in

_ = tr._
APPLICATION_NUMBER = re.compile(r"^\d{4}-\d{6}$")


class KeyboardWalk(demo_app.DemoApp):
    """The demo's renewal and e-onay walked with the keyboard; at each page
    checkpoint(label) runs (a screenshot here; a suite may check more)."""

    def __init__(self, artifacts, scratch, name, extra_env=None):
        super().__init__(artifacts, scratch, name, extra_env)
        self.kb = None

    def checkpoint(self, label):
        self.screenshot(label)

    # -- helpers ----------------------------------------------------------------

    def field(self, msgid):
        return (re.compile(r"^%s$" % re.escape(_(msgid))))

    def read_badge(self):
        """Tab to the Demo badge, open it with Space, read it, close it with
        Escape; the focus goes back to the badge."""
        kb = self.kb
        kb.tab_to("toggle button", _("Demo"), key="<Shift>Tab")
        kb.press("space")
        facts = wait_for(lambda: self.read_popover_facts() or None, "the badge's facts")
        kb.press("Escape")
        self.popover_gone()
        return facts

    def window_texts(self):
        return [n.name or "" for n in self.app.find_all("label")] + texts_in(self.app.window)

    # -- steps ------------------------------------------------------------------

    def step_start(self):
        self.start_demo()
        self.kb = keyboard.Keyboard(self.app, keyboard.scale_from_env(self.extra_env))
        self.kb.rest_pointer_on(self.app.window)
        # The welcome page: the first task has the focus.
        self.kb.wait_focus("push button", _("E-signature renewal application"),
                           "the focus on the welcome page's first task")
        self.checkpoint("welcome")

    def step_badge(self):
        self.facts = self.read_badge()
        check(re.fullmatch(r"[0-9]{4,16}", self.facts.get(_("Card PIN"), "")),
              "the badge gives no PIN: %r" % sorted(self.facts))

    def step_sign_in(self):
        kb = self.kb
        kb.tab_to("push button", _("E-signature renewal application"))
        kb.press("Return")
        # The captcha is the page's first field: it has the focus once shown.
        self.captcha_shown()
        captcha = kb.wait_focus("text", _("Characters in the _image"),
                                "the focus on the sign-in page's first field (the captcha)", 30)
        kb.type_here(captcha, self.new_captcha())
        for label, fact in demo_app.SIGN_IN_FACTS:
            entry = kb.tab_to("text", _(label))
            kb.type_here(entry, self.facts[_(fact)])
        cont = self.app.find("push button", _("_Continue"))
        wait_for(lambda: g.is_sensitive(cont), "Devam to become sensitive")
        self.checkpoint("sign-in")
        # Enter in the last field: the page's default button.
        kb.press("Return")

    def step_form(self):
        kb = self.kb
        confirm = self.app.find("push button", _("_Confirm form"), timeout=30)
        first = kb.wait_focus(None, None, "a focus on the form page", 30)
        log("the form page starts with the focus on %s" % g.describe(first))
        # The radio groups: Tab reaches a group, the arrows choose in it.
        for label, _turkish in form.FORM_RADIOS:
            radio = self.app.find("radio button", _(label))
            group = [n for n in self.app.find_all("radio button")
                     if n.parent == radio.parent]
            names = [n.name for n in group]

            def in_group():
                f = kb.focused()
                return f is not None and f.roleName == "radio button" and f.name in names
            for _i in range(40):
                if in_group():
                    break
                kb.press("Tab")
            check(in_group(), "Tab never reached the group of %r" % label)
            kb.tab_to("radio button", _(label), key="Down", limit=len(names) + 1)
            if not radio.getState().contains(g.pyatspi.STATE_CHECKED):
                kb.press("space")
            wait_for(lambda: radio.getState().contains(g.pyatspi.STATE_CHECKED),
                     "%r to be chosen" % label)
            kb.press("Tab")
        for label, item in form.FORM_COMBOS:
            combo = kb.tab_to("combo box", _(label))
            kb.choose_here(combo, _(item))
        for label, value, _shown in form.FORM_ENTRIES:
            entry = kb.tab_to("text", _(label))
            kb.type_here(entry, value)
        province = kb.tab_to("combo box", _("_Province"))
        kb.choose_here(province, form.PROVINCE)
        district = kb.tab_to("combo box", _("_District"))
        wait_for(lambda: form.DISTRICT in self.app.combo_items(district),
                 "the districts of %s" % form.PROVINCE)
        kb.choose_here(district, form.DISTRICT)
        postal = kb.tab_to("text", _("P_ostal code"))
        kb.type_here(postal, form.POSTAL_CODE)
        kb.press("Tab")
        wait_for(lambda: g.is_sensitive(confirm), "Formu Onayla to become sensitive")
        self.checkpoint("form")
        # Back in a field that activates the default (Formu Onayla).
        postal = kb.tab_to("text", _("P_ostal code"), key="<Shift>Tab")
        kb.press("Return")

    def step_sms(self):
        kb = self.kb
        self.app.find("push button", _("_Send Code"), timeout=30)
        send = kb.wait_focus("push button", _("_Send Code"),
                             "the focus on the SMS page's Send Code", 30)
        kb.press("Return")
        code_entry = kb.wait_focus("text", _("SMS approval code"),
                                   "the focus on the code field once the SMS is sent", 30)
        del send
        facts = self.read_badge()
        code = facts.get(_("Last SMS code"), "")
        check(re.fullmatch(r"[0-9]{6}", code), "the badge shows no SMS code: %r" % code)
        code_entry = kb.tab_to("text", _("SMS approval code"))
        kb.type_here(code_entry, code)
        confirm = self.app.find("push button", _("_Confirm"))
        wait_for(lambda: g.is_sensitive(confirm), "Onayla to become sensitive")
        self.checkpoint("sms")
        kb.press("Return")

    def step_method(self):
        kb = self.kb
        self.app.find("push button", _("Sign with my e-signature card"), timeout=30)
        kb.wait_focus("push button", _("Sign with my e-signature card"),
                      "the focus on the signing method's first choice", 30)
        self.checkpoint("method")
        kb.press("Return")

    def step_esign(self):
        kb = self.kb
        self.app.find("push button", _("_Sign"), timeout=30)
        sign = self.app.find("push button", _("_Sign"))
        wait_for(lambda: g.is_sensitive(sign), "Sign to become sensitive", 30)
        kb.tab_to("push button", _("_Sign"))
        self.checkpoint("esign")
        kb.press("Return")
        self.keyboard_pin()
        self.wait_text(_("Your application has been received"), "the result page", timeout=30)
        number = self.wait_text(APPLICATION_NUMBER, "the application number")
        log("application number %s" % number)

    def keyboard_pin(self, accept="_Sign"):
        """The PIN dialog by keyboard: the focus on the PIN field, the PIN
        typed, Enter for the default button."""
        dialog = self.pin_dialog()
        self.kb.rest_pointer_on(dialog)
        entry = self.kb.wait_focus("password text", _("PIN"), "the focus on the PIN field")
        self.kb.type_secret_here(entry, self.facts[_("Card PIN")])
        button = find_in(dialog, "push button", _(accept))
        wait_for(lambda: g.is_sensitive(button), "the PIN dialog's button to become sensitive")
        self.checkpoint("pin-" + accept.strip("_").lower().replace(" ", "-"))
        self.kb.press("Return")
        self.top_gone("dialog", self.pin_title())
        self.kb.rest_pointer_on(self.app.window)

    @staticmethod
    def pin_title():
        return re.compile(r"^%s" % re.escape(_("Card PIN")))

    def step_result(self):
        kb = self.kb
        # The first control: copying the number; then Done.
        kb.wait_focus("push button", _("Copy the application number"),
                      "the focus on the result page's first control")
        kb.tab_to("push button", _("_Done"))
        self.checkpoint("result")
        kb.press("Return")
        kb.wait_focus("push button", _("E-signature renewal application"),
                      "the focus on the welcome page's first task again", 30)

    def step_eonay(self):
        kb = self.kb
        kb.tab_to("push button", _("E-onay"))
        kb.press("space")
        combo = self.app.find("combo box", _("Certificate to log in with"), timeout=30)
        entry = self.app.find("text", _("T.C. Kimlik No"))
        wait_for(lambda: self.app.text_of(entry) == demo_app.DEMO_TCKN,
                 "the T.C. Kimlik No from the virtual card's certificate")
        first = kb.wait_focus(None, None, "a focus on the e-onay's first step")
        check(first in (combo, entry), "the e-onay page starts with the focus on %s"
              % g.describe(first))
        kb.tab_to("text", _("T.C. Kimlik No"))
        self.checkpoint("eonay-identity")
        # Enter in the number field: Giriş Yap, the step's default.
        kb.press("Return")
        self.keyboard_pin(accept="_Log In")
        self.wait_text(_("Step 2 of 4: Sign the login code"), "the login code's step", timeout=30)
        kb.tab_to("push button", _("_Sign"))
        self.checkpoint("eonay-sign-login")
        kb.press("Return")
        self.keyboard_pin()
        self.wait_text(_("Step 3 of 4: Read the commitment"), "the commitment step", timeout=30)
        consent = self.app.find("check box", _("I have _read the commitment and accept it"))
        # The mnemonic ticks the box.
        kb.mnemonic("I have _read the commitment and accept it")
        wait_for(lambda: consent.getState().contains(g.pyatspi.STATE_CHECKED),
                 "the commitment's box to be ticked by its mnemonic")
        kb.tab_to("push button", _("_Continue"))
        self.checkpoint("eonay-commitment")
        kb.press("Return")
        self.wait_text(_("Step 4 of 4: Sign the commitment"), "the commitment's signing step",
                       timeout=30)
        kb.tab_to("push button", _("_Sign"))
        kb.press("Return")
        self.keyboard_pin()
        self.wait_text(_("Your e-onay is active"), "e-onay active", timeout=30)
        kb.wait_focus("push button", _("_Done"), "the focus on the e-onay's Done")
        self.checkpoint("eonay-active")
        kb.press("Return")
        kb.wait_focus("push button", _("E-signature renewal application"),
                      "the focus on the welcome page after the e-onay", 30)

    def step_quit(self):
        log("%d key presses in all" % self.kb.presses)
        self.kb.combo("<Control>q")
        try:
            self.app.proc.wait(20)
        except subprocess.TimeoutExpired:
            raise g.GuiTestError("the app did not quit on Ctrl+Q")
        status = self.app.quit()
        check(status == 0, "the app exited with status %s" % status)
        self.app.check_stderr()
        self.app = None

    def final(self):
        if self.app is not None:
            try:
                status = self.app.quit()
                self.app.check_stderr()
                check(status == 0, "the app exited with status %s" % status)
            finally:
                self.app.kill()

    def on_failure(self):
        if self.app is None:
            return
        try:
            self.screenshot("failure-screen")
            self.app.dump("failure")
        except Exception as exc:
            log("could not save the failure evidence: %s" % exc)
        log("app stderr (tail):\n" + self.app.stderr_tail())
