#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""E-signed application GUI test ("E-İmzalı Başvuru"): from the welcome page
through sign-in, the application form and the SMS approval to the signing
method, then signing the application with the card, through AT-SPI, in
Turkish, with a real pcscd, a virtual card (for the card's presence), a
SoftHSM2 token (the keys) and the portal simulator checking signatures
(--nes-client-ca).

The token holds the applicant's certificates (10000000146) and another
person's (10000000214, EIMZA_SOFTHSM_SECOND_PERSON=1).  The page shows the
application as the portal holds it, the commitment and the exact text to
sign; only the applicant's certificates are offered.  Signing with the PIN
sends the signature and leads to the application number, and the signature
the simulator accepted verifies with `openssl cms -verify` (--signature-log).
A second app, on a simulator that takes every signature for another
person's (--fault signer-mismatch), shows the "someone else's certificate"
message and lets the person choose and sign again.

Run through run-gui-esign-test.sh (meson test --suite gui-esign).
"""

import glob
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# The shared helpers of the GUI tests.
sys.path.insert(0, os.path.join(HERE, "..", "gui-common"))

import eimza_gui as g  # noqa: E402  (sets dogtail up before importing it)
from eimza_gui import check, log, wait_for  # noqa: E402
from dogtail import rawinput  # noqa: E402

import card_gui as cg  # noqa: E402
from card_gui import (  # noqa: E402
    _, LANG, NesSim, USER_PIN, HOLDER, SOFTHSM_MODULE, starts, texts_in)

BUILDDIR = os.environ["EIMZA_BUILDDIR"]
APP = os.environ.get("EIMZA_APP", os.path.join(BUILDDIR, "src", "ui", "eimza-asistan"))
SIM = os.environ.get("EIMZA_PORTAL_SIM",
                     os.path.join(BUILDDIR, "tools", "portal-sim", "eimza-portal-sim"))
ARTIFACTS = os.environ.get("EIMZA_GUI_ARTIFACTS",
                           os.path.join(BUILDDIR, "tests", "gui-esign-artifacts"))
SCRATCH = os.environ["EIMZA_GUI_ESIGN_SCRATCH"]

# The applicant's certificates on the token are HOLDER's.
OTHER_HOLDER = "MEHMET CAGRI OZTURK"
# The first person of the simulator's fixtures: e-onay active, a previous
# application that fills the whole form in.
LOGIN_VALUES = [
    ("_T.C. Kimlik No", "10000000146"),
    ("_Name", "Ayşe Gül"),
    ("_Surname", "Yılmaz"),
    ("Place of _birth", "Ankara"),
    ("_Date of birth", "14.03.1985"),
]
MOBILE_DIGITS = "5321112233"
APPLICATION_NUMBER = re.compile(r"^\d{4}-\d{6}$")
DOCUMENT_HEADING = "KAMU SM NİTELİKLİ ELEKTRONİK SERTİFİKA BAŞVURUSU"


# The e-signed page's message, whole: the catalogue translates whole messages.
SOMEONE_ELSE = ("This certificate belongs to someone else. Kamu SM takes only a signature with "
                "the applicant’s own certificate: choose yours, or insert your card, and sign "
                "again.")


class EsignTest(cg.CardGuiTest):
    def __init__(self):
        super().__init__(ARTIFACTS)
        self.sim = None
        self.last_captcha = None

    # -- helpers --------------------------------------------------------------

    def window_texts(self):
        # Also the labels scrolled out of view and those in info bars.
        return [n.name or "" for n in self.app.find_all("label")] + texts_in(self.app.window)

    # The pages are long: these find controls scrolled out of view too.
    def button(self, label, timeout=g.DEFAULT_TIMEOUT):
        return self.app.find("push button", _(label), timeout=timeout)

    def entry(self, label, timeout=g.DEFAULT_TIMEOUT):
        return self.app.find("text", _(label), timeout=timeout)

    def click_sign(self):
        """Sign, below the text to sign: the wheel turns over the page's
        margin (over the text it would scroll the text instead)."""
        sign = self.button("_Sign")
        self.wait_sensitive(sign, "Sign to be sensitive")
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

    def start_app(self, name, sim):
        self.sim = sim
        self.last_captcha = None
        self.app = g.App(APP, ARTIFACTS, name, env=cg.app_env(self.token_dir),
                         args=["--pkcs11-module", SOFTHSM_MODULE,
                               "--portal-profile", "simulator",
                               "--portal-url", sim.url, "--portal-ca", sim.ca])
        self.app.start()

    def start_sim(self, name, args=()):
        sim = NesSim(SIM, SCRATCH, name, self.test_ca(), args=args).start()
        self.sims.append(sim)
        return sim

    # -- the way to the signing method ----------------------------------------

    def sign_in(self):
        self.app.click(self.button("E-signature renewal application"))
        wait_for(lambda: any(g.is_showing(n) for n in self.app.find_all(None, _("Security image"))),
                 "the captcha image from the portal", 30)
        for label, value in LOGIN_VALUES:
            self.app.type_into(self.entry(label), value)
        captcha = wait_for(lambda: (lambda t: t if t and t != self.last_captcha else None)(
            self.sim.captcha()), "a captcha in the simulator's log")
        self.last_captcha = captcha
        self.app.type_into(self.entry("Characters in the _image"), captcha)
        self.app.leave()
        cont = self.button("_Continue")
        self.wait_sensitive(cont, "Devam to become sensitive")
        self.app.click(cont)

    def confirm_form(self):
        # The portal filled the form in from the person's previous application.
        confirm = self.button("_Confirm form", timeout=30)
        self.wait_sensitive(confirm, "Formu Onayla to become sensitive with the portal's values")
        self.app.click(confirm)

    def approve_sms(self):
        send = self.button("_Send Code", timeout=30)
        before = len(self.sim.sms_messages())
        self.app.click(send)
        phone, code = wait_for(lambda: (self.sim.sms_messages()[before:] or [None])[-1],
                               "an SMS from the portal", 30)
        check(phone == MOBILE_DIGITS, "the SMS went to %s" % phone)
        self.app.type_into(self.entry("SMS approval code"), code)
        confirm = self.button("_Confirm")
        self.wait_sensitive(confirm, "Onayla to become sensitive with the code")
        self.app.click(confirm)

    def to_method_page(self):
        self.sign_in()
        self.confirm_form()
        self.approve_sms()
        return self.button("Sign with my e-signature card", timeout=30)

    def open_esign_page(self):
        card = self.to_method_page()
        check(g.is_sensitive(card), "the card button must be sensitive")
        self.screenshot("method")
        self.app.click(card)
        self.wait_text(_("Sign your application"), "the signing step's heading", timeout=30)
        sign = self.button("_Sign", timeout=30)
        self.wait_sensitive(sign, "Sign to become sensitive with the applicant's certificate",
                            timeout=30)
        return sign

    # -- steps ----------------------------------------------------------------

    def step_setup(self):
        self.lock_pcscd("this test")
        self.make_token(SCRATCH, second_person=True)
        self.start_reader()
        self.start_app("esign-" + LANG, self.start_sim("sim"))

    def step_esign_page(self):
        sign = self.open_esign_page()
        summary = self.app.text_of(self.entry("Application summary"))
        check(LOGIN_VALUES[0][1] in summary and "Ayşe Gül" in summary,
              "the summary must show the applicant: %r" % summary[:300])
        check("Kelebek42" not in summary, "the security word must not be shown")
        self.screenshot("esign")
        # The commitment is the summary's neighbour: one click away.
        tab = wait_for(lambda: next((n for n in self.app.find_all(None, _("Commitment"))
                                     if "button" in n.roleName), None), "the commitment's tab")
        self.app.click(tab)
        commitment = self.app.find("label", _("Commitment text"))
        check(len(commitment.queryText().getText(0, -1)) > 40, "the commitment must be shown")
        self.screenshot("esign-commitment")
        document = self.app.text_of(self.entry("Text to be signed"))
        check(document.startswith(DOCUMENT_HEADING),
              "the exact text to sign must be shown: %r" % document[:200])
        combo = self.app.find("combo box", _("Signing certificate"))
        items = self.app.combo_items(combo)
        log("certificates offered: %r" % items)
        check(items and all(HOLDER in i for i in items),
              "only the applicant's certificates may be offered: %r" % items)
        check(not any(OTHER_HOLDER in i for i in items),
              "another person's certificate is offered: %r" % items)
        check(not [w for w in self.app.root.children if (w.name or "").startswith(_("Card PIN"))],
              "no PIN may be asked before the person presses Sign")
        return sign

    def step_sign_and_apply(self):
        self.click_sign()
        self.enter_pin(USER_PIN)
        self.wait_text(_("Your application has been received"), "the result page", timeout=30)
        number = self.wait_text(APPLICATION_NUMBER, "the application number")
        log("application number %s" % number)
        self.screenshot("result")

    def step_signature_checked(self):
        """The signature the simulator accepted, checked with openssl."""
        dumps = sorted(glob.glob(os.path.join(self.sims[0].signature_dir, "*-application.cms")))
        check(len(dumps) == 1, "the simulator accepted %d application signatures" % len(dumps))
        for path in dumps:
            content = cg.verify_signature(path, self.test_ca())
            with open(content, "rb") as f:
                check(f.read().decode("utf-8").startswith(DOCUMENT_HEADING),
                      "the signed content must be the application document")

    def step_wrong_signer(self):
        status = self.app.quit()
        check(status == 0, "the first app exited with status %s; stderr:\n%s"
              % (status, self.app.stderr_tail()))
        self.app.check_stderr()
        self.start_app("esign-wrong-signer-" + LANG,
                       self.start_sim("sim-mismatch", ["--fault", "signer-mismatch"]))
        self.open_esign_page()
        self.click_sign()
        self.enter_pin(USER_PIN)
        self.wait_text(starts(SOMEONE_ELSE),
                       "the message about another person's certificate", timeout=30)
        check(_("Your application has been received") not in self.window_texts(),
              "a refused signature must not make the application")
        combo = self.app.find("combo box", _("Signing certificate"))
        self.wait_sensitive(combo, "the certificate choice to be open again")
        self.wait_sensitive(self.button("_Sign"), "Sign to be sensitive again")
        self.screenshot("wrong-signer")
        # Another certificate, and a second try: sent again, refused again
        # by this simulator, never sent by itself.
        others = [i for i in self.app.combo_items(combo) if i != self.app.combo_value(combo)]
        if others:
            self.app.choose(combo, others[0])
        self.click_sign()
        self.enter_pin(USER_PIN)
        wait_for(lambda: len(self.sim.requests(r"POST /bp/eimzaligonder\.go")) == 2,
                 "the second signature to be sent", 30)
        self.wait_text(starts(SOMEONE_ELSE),
                       "the message again", timeout=30)
        time.sleep(1.0)
        check(len(self.sim.requests(r"POST /bp/eimzaligonder\.go")) == 2,
              "each signature must be sent once: %r"
              % self.sim.requests(r"/bp/eimzaligonder"))


def main():
    os.makedirs(ARTIFACTS, exist_ok=True)
    t = EsignTest()
    steps = [
        ("pcscd, a card, the token (two people), the simulator and the app", t.step_setup),
        ("sign-in, form, SMS; the e-signed application shows the summary, the commitment, "
         "the text and only the applicant's certificates", t.step_esign_page),
        ("signed with the PIN: the application number", t.step_sign_and_apply),
        ("the accepted signature verifies with openssl", t.step_signature_checked),
        ("another person's signature refused: the message, and signing again",
         t.step_wrong_signer),
    ]
    return g.run_checks(steps, final=("app closes cleanly", t.final_quit), on_failure=t.on_failure)


if __name__ == "__main__":
    sys.exit(main())
