#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""E-onay GUI test: from the welcome page to "e-onay active" on the portal
simulator's NES site, through AT-SPI, in Turkish, with a real pcscd, a
virtual card (for the card's presence) and a SoftHSM2 token (the keys).

The person picks E-onay; the page offers the card's certificate and fills in
its T.C. Kimlik No; another person's number is refused before anything is
sent.  Logging in asks for the PIN (the TLS login with the card): a wrong PIN
brings the PIN dialog back with the card's retry state, the right one logs
in.  The login code's text is shown with a countdown; the card is pulled out
(the step stops and says so) and put back (it goes on); the signature is
made and accepted.  The explanation and the commitment are shown, Continue
needs the consent box; the commitment document is shown before the PIN is
asked; its signature makes the e-onay active.  The e-onay is cancelled (with
a confirmation) and the page says so.  A second app, on a simulator with a
short deadline, lets the deadline pass: the step says so and "Start Again"
gets a new code, with the typed T.C. Kimlik No still there.

pcscd listens on the one socket /run/pcscd/pcscd.comm, so the test holds
the lock /tmp/eimza-pcscd-tests.lock (as tests/card/pcsc-testbed.c does)
from before it starts pcscd until after it has stopped it.

Run through run-gui-eonay-test.sh (meson test --suite gui-eonay).
"""

import glob
import os
import re
import sys
import time
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
# The shared helpers of the GUI tests.
sys.path.insert(0, os.path.join(HERE, "..", "gui-common"))

import eimza_gui as g  # noqa: E402  (sets dogtail up before importing it)
from eimza_gui import check, log, wait_for  # noqa: E402

import card_gui as cg  # noqa: E402
from card_gui import (  # noqa: E402
    _, LANG, NesSim, USER_PIN, WRONG_PIN, TCKN, HOLDER, SOFTHSM_MODULE, starts, find_in,
    texts_in)
import vpcd_card  # noqa: E402

BUILDDIR = os.environ["EIMZA_BUILDDIR"]
APP = os.environ.get("EIMZA_APP", os.path.join(BUILDDIR, "src", "ui", "eimza-asistan"))
SIM = os.environ.get("EIMZA_PORTAL_SIM",
                     os.path.join(BUILDDIR, "tools", "portal-sim", "eimza-portal-sim"))
ARTIFACTS = os.environ.get("EIMZA_GUI_ARTIFACTS",
                           os.path.join(BUILDDIR, "tests", "gui-eonay-artifacts"))
SCRATCH = os.environ["EIMZA_GUI_EONAY_SCRATCH"]

OTHER_TCKN = "10000000214"   # valid, in the fixtures, on the token's 5th certificate
# The short deadline of the second simulator: long enough to reach the
# signing step and sign after "Start Again", short enough to wait for.
SHORT_DEADLINE = 15



# The sign step's messages, whole: the catalogue translates whole messages.
CARD_OUT = ("The card is not in the reader. Insert your e-signature card to sign; the step "
            "goes on as soon as it is back.")
NOT_READABLE = ("The web site sent something to sign that is not readable text. It cannot be "
                "shown to you, so it cannot be signed: nothing was signed.")
ESCAPES_NOTE = ("%u hidden or direction-changing character is shown as ⟨U+…⟩, with its number. "
                "It is part of what you sign.",
                "%u hidden or direction-changing characters are shown as ⟨U+…⟩, with their "
                "numbers. They are part of what you sign.")
TIME_RAN_OUT = ("The time for this signature ran out. Nothing was signed. Start the step again "
                "to get a new verification code; what you entered is kept.")


def shown_for_signing(data):
    """What the signing step must show of data (bytes): the same rules as
    eimza_signed_text_for_display(), written again from Unicode's own
    tables for the characters Kamu SM's texts and the bidi fault hold."""
    text = data.decode("utf-8")
    out = []
    for i, c in enumerate(text):
        if c == "\n" or c == "\t" or c == " " or (c == "\r" and text[i + 1:i + 2] == "\n"):
            out.append(c)
        elif (unicodedata.category(c) in ("Cc", "Cf", "Co", "Cn", "Zs", "Zl", "Zp")
              or unicodedata.bidirectional(c) in ("R", "AL", "AN") or c in "\u27e8\u27e9"):
            out.append("\u27e8U+%04X\u27e9" % ord(c))
        else:
            out.append(c)
    return "".join(out)


class EonayTest(cg.CardGuiTest):
    def __init__(self):
        super().__init__(ARTIFACTS)

    # -- helpers --------------------------------------------------------------

    def start_app(self, name, sim):
        self.app = g.App(APP, ARTIFACTS, name, env=cg.app_env(self.token_dir),
                         args=["--pkcs11-module", SOFTHSM_MODULE,
                               "--portal-profile", "simulator",
                               "--portal-url", sim.url, "--portal-ca", sim.ca,
                               "--eonay-url", sim.nes_url])
        self.app.start()

    def open_eonay_page(self):
        self.app.click(find_in(self.app.window, "push button", _("E-onay")))
        combo = find_in(self.app.window, "combo box", _("Certificate to log in with"), timeout=30)
        entry = find_in(self.app.window, "text", _("T.C. Kimlik No"))
        # The token also holds another person's certificate (for the
        # signature of someone else): choose the holder's RSA one.
        mine = wait_for(lambda: next((n for n in self.app.combo_items(combo)
                                      if n.startswith(HOLDER + " — ") and "RSA" in n), None),
                        "the holder's certificate to be offered", timeout=30)
        log("certificates offered: %r" % self.app.combo_items(combo))
        if self.app.combo_value(combo) != mine:
            self.app.choose(combo, mine)
        wait_for(lambda: self.app.text_of(entry) == TCKN,
                 "the T.C. Kimlik No to be filled in from the certificate")
        return combo, entry

    def log_in_on(self, name, fault):
        """A new app on a new simulator with the run fault fault, logged in
        up to the login code's signing step."""
        status = self.app.quit()
        check(status == 0, "the app exited with status %s; stderr:\n%s"
              % (status, self.app.stderr_tail()))
        self.app.check_stderr()
        sim = NesSim(SIM, SCRATCH, name, self.test_ca(), args=["--fault", fault]).start()
        self.sims.append(sim)
        self.start_app("eonay-%s-%s" % (fault, LANG), sim)
        self.open_eonay_page()
        self.app.click(self.step_button("_Log In"))
        self.enter_pin(USER_PIN, accept="_Log In")
        self.wait_text(_("Step 2 of 4: Sign the login code"), "the login code's signing step",
                       timeout=30)
        return sim

    # -- steps ---------------------------------------------------------------

    def step_setup(self):
        self.lock_pcscd("the e-onay GUI test")
        self.make_token(SCRATCH, second_person=True)
        self.start_reader()
        sim = NesSim(SIM, SCRATCH, "sim", self.test_ca()).start()
        self.sims.append(sim)
        self.start_app("eonay-" + LANG, sim)
        self.screenshot("welcome")

    def step_identity(self):
        combo, entry = self.open_eonay_page()
        self.screenshot("identity")
        # Another person's (valid) number: refused before anything is sent.
        self.app.type_into(entry, OTHER_TCKN)
        self.app.click(self.step_button("_Log In"))
        refused = re.escape(_("This is not the T.C. Kimlik No in the certificate of %s. The "
                              "site accepts only the number of the certificate you log in "
                              "with.")).replace("%s", ".+")
        self.wait_text(re.compile(refused), "the number to be refused as not the certificate's")
        check(not [w for w in self.top_windows() if (w.name or "").startswith(_("Card PIN"))],
              "no PIN may be asked for a number that is not the certificate's")
        self.screenshot("identity-wrong-number")
        self.app.type_into(entry, TCKN)

    def step_login_wrong_pin(self):
        self.app.click(self.step_button("_Log In"))
        # The login's PIN dialog comes back at once after a wrong PIN.
        self.enter_pin(WRONG_PIN, screenshot="tls-pin", wait_gone=False, accept="_Log In")
        # The wrong PIN is not sent again by itself: the dialog comes back
        # with the card's new state, and the person decides.
        count_low = _("A wrong PIN was entered since the last correct one. Three wrong PINs in a "
                      "row lock the card, so type slowly.")
        self.enter_pin(USER_PIN, screenshot="tls-pin-after-wrong", expect_text=count_low,
                       accept="_Log In")
        self.wait_text(_("Step 2 of 4: Sign the login code"), "the login code's signing step",
                       timeout=30)
        find_in(self.app.window, "text", _("Text to be signed"))
        self.wait_text(re.compile(r"^%s" % re.escape(_("Time left to sign: %d:%02d")
                                                        .split("%")[0])),
                       "the countdown")
        self.screenshot("sign-login")

    def step_card_pulled(self):
        sign = self.sign_step_sign()
        self.wait_sensitive(sign, "Sign to be sensitive")
        self.card.remove()
        self.card = None
        self.wait_text(starts(CARD_OUT), "the step to say the card is out", timeout=10)
        self.wait_sensitive(sign, "Sign to become insensitive without the card", sensitive=False)
        self.screenshot("card-pulled")
        self.card = vpcd_card.VirtualCard().insert()
        self.wait_sensitive(sign, "Sign to become sensitive with the card back", timeout=20)
        check(not any(t.startswith(_(CARD_OUT)) for t in
                      self.window_texts()), "the card notice must go once the card is back")

    def step_sign_login(self):
        """The fixture person has an active e-onay: the login signature
        leads to the result page."""
        self.app.click(self.sign_step_sign())
        self.enter_pin(USER_PIN)
        self.wait_text(_("Your e-onay is active"), "the e-onay to be shown active", timeout=30)
        # The site's own button name, the same in every language.
        self.wait_text(re.compile("“İptal”"), "how to cancel it later")
        self.screenshot("eonay-active-at-login")

    def step_cancel_eonay(self):
        self.app.click(self.step_button("C_ancel E-onay…"))
        dialog = wait_for(lambda: next((w for w in self.top_windows()
                                        if w.roleName in ("alert", "dialog")), None),
                          "the confirmation dialog")
        check(_("Cancel your e-onay?") in texts_in(dialog),
              "the confirmation must ask: %r" % texts_in(dialog))
        self.screenshot("cancel-confirm")
        self.app.click(find_in(dialog, "push button", _("C_ancel E-onay")))
        self.wait_text(_("Your e-onay is cancelled"), "the cancelled state", timeout=30)
        self.screenshot("eonay-cancelled")

    def step_consent(self):
        self.app.click(self.step_button("_Give E-onay"))
        self.wait_text(_("Step 3 of 4: Read the commitment"), "the commitment step", timeout=30)
        consent = find_in(self.app.window, "check box",
                          _("I have _read the commitment and accept it"))
        cont = self.step_button("_Continue")
        check(not g.is_sensitive(cont), "Continue must be insensitive before the box is ticked")
        commitment = find_in(self.app.window, "text", _("Commitment text"))
        check(len(self.app.text_of(commitment) or "") > 40, "the commitment text must be shown")
        # The instruction names the button the person sees, not the site's
        # own web button ("DEVAM ET").
        shown = self.app.visible_strings()
        quoted = "\u201c%s\u201d" % cont.name
        check(any(quoted in t for t in shown),
              "the instruction must name the button %s: %r" % (quoted, shown))
        check(not any("DEVAM ET" in t for t in shown),
              "the site's web-page instruction must not be shown: %r" % shown)
        self.screenshot("consent")
        self.app.click(consent)
        self.wait_sensitive(cont, "Continue to become sensitive once ticked")

    def step_sign_commitment(self):
        self.app.click(self.step_button("_Continue"))
        self.wait_text(_("Step 4 of 4: Sign the commitment"), "the commitment's signing step",
                       timeout=30)
        document = find_in(self.app.window, "text", _("Text to be signed"))
        text = wait_for(lambda: self.app.text_of(document) or None, "the document to be shown")
        check("E-ONAY TAAHHÜTNAMESİ" in text, "the commitment document must be shown before the "
              "PIN is asked: %r" % text[:200])
        check(not [w for w in self.top_windows() if (w.name or "").startswith(_("Card PIN"))],
              "no PIN may be asked before the person presses Sign")
        self.screenshot("sign-commitment")
        self.app.click(self.sign_step_sign())
        self.enter_pin(USER_PIN)
        self.wait_text(_("Your e-onay is active"), "e-onay active", timeout=30)
        self.screenshot("eonay-active")
        self.app.click(self.step_button("_Done"))
        find_in(self.app.window, "push button", _("E-onay"))

    def step_deadline(self):
        status = self.app.quit()
        check(status == 0, "the first app exited with status %s; stderr:\n%s"
              % (status, self.app.stderr_tail()))
        self.app.check_stderr()
        sim = NesSim(SIM, SCRATCH, "sim-short", self.test_ca(),
                     args=["--sign-deadline-seconds", str(SHORT_DEADLINE)]).start()
        self.sims.append(sim)
        self.start_app("eonay-deadline-" + LANG, sim)
        combo, entry = self.open_eonay_page()
        # Typed by hand this time: it must survive the restart.
        self.app.type_into(entry, TCKN)
        self.app.click(self.step_button("_Log In"))
        self.enter_pin(USER_PIN, accept="_Log In")
        self.wait_text(_("Step 2 of 4: Sign the login code"), "the login code's signing step",
                       timeout=30)
        self.screenshot("deadline-countdown")
        expired = starts(TIME_RAN_OUT)
        self.wait_text(expired, "the deadline to pass", timeout=SHORT_DEADLINE + 10)
        check(not g.is_sensitive(self.sign_step_sign()), "Sign must be insensitive after the deadline")
        self.screenshot("deadline-passed")
        self.app.click(self.step_button("_Start Again"))
        sign = self.sign_step_sign()
        self.wait_sensitive(sign, "Sign to be sensitive again with a new code", timeout=30)
        check(not any(expired.search(t) for t in self.window_texts()),
              "the expiry notice must go with the new code")
        self.screenshot("deadline-restarted")
        self.app.click(sign)
        self.enter_pin(USER_PIN)
        # The first app gave the e-onay again; the simulators share nothing,
        # and this one's fixture person has it active from the start.
        self.wait_text(_("Your e-onay is active"), "the login to be complete", timeout=30)
        # Back to the welcome page and in again: the number is still there.
        self.app.click(find_in(self.app.window, "push button", _("Back")))
        self.app.click(find_in(self.app.window, "push button", _("E-onay")))
        entry = find_in(self.app.window, "text", _("T.C. Kimlik No"), timeout=30)
        check(self.app.text_of(entry) == TCKN, "the typed T.C. Kimlik No must be kept")
        self.screenshot("number-kept")

    def step_bidi(self):
        """The login text holds a right-to-left override, isolates and a
        zero-width space: each is shown as a visible ⟨U+…⟩ escape, the page
        says so, and the text signed is the one shown."""
        self.log_in_on("sim-bidi", "bidi")
        document = find_in(self.app.window, "text", _("Text to be signed"))
        shown = wait_for(lambda: self.app.text_of(document) or None, "the text to be shown")
        log("shown: %r" % shown[:400])
        for control in ("\u202e", "\u202c", "\u2066", "\u2069", "\u200b"):
            check(control not in shown, "%r must not be shown raw: %r" % (control, shown[:400]))
        for escape in ("⟨U+202E⟩", "⟨U+202C⟩", "⟨U+2066⟩", "⟨U+2069⟩", "⟨U+200B⟩"):
            check(escape in shown, "%s must be shown: %r" % (escape, shown[:400]))
        note = cg._catalogue.ngettext(*ESCAPES_NOTE, 5) % 5
        self.wait_text(note, "the note about the 5 escapes")
        sign = self.sign_step_sign()
        self.wait_sensitive(sign, "Sign to be sensitive: the text can be read")
        self.screenshot("bidi-shown")
        self.app.click(sign)
        self.enter_pin(USER_PIN)
        self.wait_text(_("Your e-onay is active"), "the login to be complete", timeout=30)
        signed = sorted(glob.glob(os.path.join(self.sims[-1].signature_dir, "*-login.content")))
        check(len(signed) == 1, "one login signature expected, found %r" % signed)
        with open(signed[0], "rb") as f:
            data = f.read()
        check("\u202e".encode() in data, "the signed bytes must hold the override")
        check(shown == shown_for_signing(data),
              "the shown text must be the signed bytes, escaped:\n%r\n%r"
              % (shown, shown_for_signing(data)))

    def step_binary(self):
        """Data that is not text: the plain message, Sign insensitive, no
        certificate offered, nothing signed or sent."""
        sim = self.log_in_on("sim-binary", "binary")
        self.wait_text(starts(NOT_READABLE), "the message that the data is not text", timeout=30)
        sign = self.sign_step_sign()
        check(not g.is_sensitive(sign), "Sign must be insensitive for data that is not text")
        check(not cg.find_all_in(self.app.window, "text", _("Text to be signed")),
              "no text to sign may be shown")
        self.screenshot("binary-refused")
        # The card goes and comes back: still nothing to sign.
        self.card.remove()
        self.card = None
        time.sleep(1.5)
        self.card = vpcd_card.VirtualCard().insert()
        time.sleep(2.5)
        check(not g.is_sensitive(sign), "Sign must stay insensitive with the card back")
        check(any(starts(NOT_READABLE).search(t) for t in self.window_texts()),
              "the message must stay with the card back")
        check(not [w for w in self.top_windows() if (w.name or "").startswith(_("Card PIN"))],
              "no PIN may be asked for data that is not text")
        check(not sim.requests(r"POST /nb/imza/yukle"), "nothing may be uploaded: %r"
              % sim.requests(r"/nb/imza/"))

    def step_signatures_checked(self):
        """Every signature the simulators accepted verifies with openssl, on
        its own, against the test CA, over the exact bytes handed out."""
        expected = {"sim": ["login", "eonay"], "sim-short": ["login"], "sim-bidi": ["login"],
                    "sim-binary": []}
        for sim in self.sims:
            found = sorted(glob.glob(os.path.join(sim.signature_dir, "*.cms")))
            kinds = [re.sub(r"^[0-9]+-", "", os.path.basename(p)[:-len(".cms")]) for p in found]
            log("%s accepted: %r" % (sim.name, kinds))
            check(kinds == expected[sim.name], "%s accepted %r, expected %r"
                  % (sim.name, kinds, expected[sim.name]))
            for path in found:
                cg.verify_signature(path, self.test_ca())
                cg.check_cades_bes(path)
                log("%s verifies" % os.path.basename(path))


def main():
    t = EonayTest()
    steps = [
        ("pcscd, a card, the token, the simulator's NES site and the app", t.step_setup),
        ("the certificate and its number offered; another number refused", t.step_identity),
        ("TLS login: a wrong PIN, the retry state, the right PIN", t.step_login_wrong_pin),
        ("the card pulled out and put back during the login code's step", t.step_card_pulled),
        ("the login code signed: the person's e-onay is active", t.step_sign_login),
        ("the e-onay cancelled after a confirmation", t.step_cancel_eonay),
        ("given again: the commitment needs the consent box", t.step_consent),
        ("the commitment shown, then signed: e-onay active", t.step_sign_commitment),
        ("a passed deadline: Start Again, the number kept", t.step_deadline),
        ("bidi fault: hidden characters shown as escapes, the shown text signed", t.step_bidi),
        ("binary fault: the plain message, Sign insensitive, nothing signed", t.step_binary),
        ("the accepted signatures verify with openssl", t.step_signatures_checked),
    ]
    return g.run_checks(steps, final=("app closes cleanly", t.final_quit), on_failure=t.on_failure)


if __name__ == "__main__":
    sys.exit(main())
