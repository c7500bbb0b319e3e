#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""GUI test: a person renews their e-signature, in Turkish, through AT-SPI.

Welcome page -> "E-imza yenileme başvurusu"; the sign-in page refuses a
T.C. Kimlik No with a wrong check digit (message beside the field, "Devam"
insensitive) and takes a valid one; the form page refuses a postal code of
another province ("Formu Onayla" insensitive) and takes the right one; going
back to the sign-in page and forward again keeps every value.  With the
portal simulator: "Formu Onayla" -> SMS page (masked mobile number), "Kodu
Gönder", a wrong code refused with the portal's message and one attempt
less, the right code (read from the simulator's SMS log) -> signing method
(no card; "E-onayımla başvur") -> the application number -> "Tamam" -> the
welcome page.  Then a second simulator whose sessions expire after a few
idle seconds and a new app: sign in, type on the form, leave it idle, "Formu
Onayla" -> back on the sign-in page with the portal's message, a new captcha
and every field kept; signing in again, the form still holds what was typed.
A screenshot of each page goes to $EIMZA_GUI_ARTIFACTS.

Run through run-gui-test.sh (meson test --suite gui).  EIMZA_GUI_LANG=C runs
the same scenario in the untranslated UI.
"""

import os
import re
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "gui-common"))

import eimza_gui as g  # noqa: E402  (sets dogtail up before importing it)
from eimza_gui import check, log, wait_for  # noqa: E402

BUILDDIR = os.environ["EIMZA_BUILDDIR"]
APP = os.environ.get("EIMZA_APP", os.path.join(BUILDDIR, "src", "ui", "eimza-asistan"))
ARTIFACTS = os.environ.get("EIMZA_GUI_ARTIFACTS", os.path.join(BUILDDIR, "tests", "gui-renewal-artifacts"))
SIM = os.environ.get("EIMZA_PORTAL_SIM",
                     os.path.join(BUILDDIR, "tools", "portal-sim", "eimza-portal-sim"))
LANG = os.environ.get("EIMZA_GUI_LANG", "tr")
TURKISH = LANG == "tr"

from translations import (  # noqa: E402,F401  (one `_` for every suite)
    LOCALE_ENV, _catalogue, strip_mnemonic, _, from_catalogue, format_regex as _format_regex)


# The huge-captcha fault's image and the sign-in page's message about it.
HUGE_CAPTCHA_SIDE = 20000
HUGE_CAPTCHA_MESSAGE = ("The portal sent a security image of %u × %u pixels, far larger than a "
                        "security image; it was not opened. Try again for a new image.")


def expect_turkish(actual, turkish, what):
    """In the Turkish run, the text must be this exact Turkish string: it
    checks the catalogue itself, not only that the app uses it."""
    if TURKISH:
        check(actual == turkish, "%s is %r, expected the Turkish %r" % (what, actual, turkish))


def tckn_check_digits(first9):
    d = [int(c) for c in first9]
    d10 = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    d11 = (sum(d) + d10) % 10
    return "%s%d%d" % (first9, d10, d11)


GOOD_TCKN = tckn_check_digits("100000001")
assert GOOD_TCKN == "10000000146"
BAD_TCKN = GOOD_TCKN[:-1] + str((int(GOOD_TCKN[-1]) + 1) % 10)  # wrong check digit

# The first person of the portal simulator's fixtures (its MERNİS record).
LOGIN_VALUES = [
    # (label msgid, Turkish accessible name, value typed)
    ("_T.C. Kimlik No", "T.C. Kimlik No", GOOD_TCKN),
    ("_Name", "Ad", "Ayşe Gül"),
    ("_Surname", "Soyad", "Yılmaz"),
    ("Place of _birth", "Doğum Yeri", "Ankara"),
    ("_Date of birth", "Doğum Tarihi", "14.03.1985"),
]
CAPTCHA = ("Characters in the _image", "Resimdeki yazı")
# Typed when there is no portal to show a real captcha.
OFFLINE_CAPTCHA = "x7K2m"

from renewal_form import (  # noqa: E402  (the values a person types in the form)
    FORM_ENTRIES, FORM_COMBOS, FORM_RADIOS, PROVINCE, DISTRICT, POSTAL_CODE)
# Kadıköy, İstanbul: a real code, of another province.
OTHER_POSTAL_CODE, OTHER_DISTRICT, OTHER_PROVINCE = "34710", "Kadıköy", "İstanbul"
MOBILE_DIGITS = re.sub(r"\D", "", dict((e[0], e[1]) for e in FORM_ENTRIES)["_Mobile phone"])[1:]

# The portal's own words (docs/portal-protocol.md): it speaks Turkish
# whatever the language of the app.
PORTAL_WRONG_SMS_CODE = "SMS onay kodu hatalı. Kalan deneme hakkınız: %d."
PORTAL_SESSION_EXPIRED = "Oturumunuzun süresi doldu. Lütfen yeniden giriş yapın."
# What the sign-in page may say after the session expired: the portal's
# words, or the app's own when the portal gave none.
SESSION_EXPIRED_TEXTS = (PORTAL_SESSION_EXPIRED,
                         _("Your session on the portal has ended. Sign in again; what you typed "
                           "has been kept."))
SMS_MAX_ATTEMPTS = 3
# Short enough that the countdown of "Kodu Gönder" ends within the test.
SMS_RESEND_SECONDS = 5
# The second portal's idle time before a session expires.  The sign-in
# itself must fit in it twice (typing the login fields after the page got
# its captcha, and typing the new captcha after the expiry), which takes a
# few seconds at AT-SPI speed under ASan, and three times longer on a
# loaded 2-core machine (7 s seen with 6 s sessions).
EXPIRY_SESSION_TIMEOUT = int(os.environ.get("EIMZA_GUI_SESSION_TIMEOUT", "20"))
APPLICATION_NUMBER = re.compile(r"^\d{4}-\d{6}$")

# Typed on the expiry scenario's form, over what the portal pre-filled from
# the person's previous application (different values, so a pre-fill that
# overwrote them would show).
EXPIRY_FORM_ENTRIES = [
    ("_Unit", "Bilgi İşlem Dairesi Başkanlığı", "Bilgi İşlem Dairesi Başkanlığı"),
    ("Institution or unit _address", "Atatürk Bulvarı No: 98 Kızılay",
     "Atatürk Bulvarı No: 98 Kızılay"),
    ("_E-mail", "ayse.yilmaz@meb.gov.tr", "ayse.yilmaz@meb.gov.tr"),
    ("_Mobile phone", "0533-765-4321", "533 765 43 21"),
]
EXPIRY_FORM_COMBOS = [("Mobile _operator", "Vodafone")]
EXPIRY_FORM_RADIOS = [("E-mail", "E-posta")]


def app_env():
    env = dict(LOCALE_ENV)
    # gui-env.sh's sanitizer options, leak checks included.
    env.update(g.app_sanitizer_env())
    # No card reader: pcscd has one socket per machine, and a card that
    # another test puts into its virtual reader must not show up here
    # (libpcsclite takes the socket from this variable; none is there).
    env["PCSCLITE_CSOCK_NAME"] = os.environ.get(
        "EIMZA_GUI_PCSC_SOCKET",
        os.path.join(os.environ.get("XDG_RUNTIME_DIR") or ARTIFACTS, "no-pcscd.comm"))
    return env


def app_talks_to_portal():
    """Whether this build of the app signs in to a portal (--portal-url)."""
    env = dict(os.environ)
    env.update(app_env())
    env.update({"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LANGUAGE": ""})
    out = subprocess.run([APP, "--help-all"], env=env, stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, timeout=60).stdout
    return "--portal-url" in out


def plural(singular, plural_, n):
    return _catalogue.ngettext(singular, plural_, n) % n


def plural_regex(singular, plural_):
    """Any count of a plural message, as shown in this language."""
    forms = {_catalogue.ngettext(singular, plural_, n) for n in (1, 2, 5)}
    return re.compile("|".join("(?:%s)" % _format_regex(f).pattern for f in forms))


class Scenario:
    def __init__(self, use_portal):
        os.makedirs(ARTIFACTS, exist_ok=True)
        self.use_portal = use_portal
        self.sim = None
        self.app = g.App(APP, ARTIFACTS, "app-" + LANG, env=app_env())
        # Everything started, for the clean-up: the second scenario runs
        # its own portal and app.
        self.sims = []
        self.apps = [self.app]
        self.dumped = False
        self.last_captcha = None
        self.form_shown_at = None

    # -- helpers ------------------------------------------------------------

    def entry(self, label_msgid):
        return self.app.find("text", _(label_msgid))

    def button(self, msgid):
        return self.app.find("push button", _(msgid))

    def error_beside(self, entry):
        """The message shown next to a field: the field's accessible
        description, shown in a visible label of the same field row."""
        desc = entry.description or ""
        if not desc:
            return None
        if desc not in self.app.labels_near(entry):
            return None
        return desc

    def status_line(self):
        """The line beside the page's main button."""
        texts = [t for t in self.app.visible_strings() if re.search(r"\d", t) and
                 t in (_catalogue.ngettext("%u field still needs your attention.",
                                           "%u fields still need your attention.", n) % n
                       for n in range(1, 40))]
        return texts[0] if texts else ""

    # -- steps --------------------------------------------------------------

    def captcha_entry(self):
        return self.entry(CAPTCHA[0])

    def wait_captcha_image(self):
        """A person waits for the page to load: the image comes from the
        portal, and the app moves the focus to its entry when it arrives."""
        if self.sim is None:
            return
        image_name = _("Security image")
        wait_for(lambda: any(g.is_showing(n) for n in self.app.find_all(None, image_name)),
                 "the captcha image from the portal", 30)

    def fill_captcha(self):
        """Type the characters of the image, as a person reads them: from
        the simulator's log once the image is on screen, or a placeholder
        when the app has no portal."""
        entry = self.captcha_entry()
        if self.sim is None:
            self.app.type_into(entry, OFFLINE_CAPTCHA)
            return OFFLINE_CAPTCHA
        self.wait_captcha_image()
        text = wait_for(lambda: (lambda t: t if t and t != self.last_captcha else None)(
            self.sim.captcha()), "a new captcha in the simulator's log")
        self.last_captcha = text
        self.app.type_into(entry, text)
        return text

    def start_sim(self, name, args=()):
        sim = g.PortalSim(SIM, ARTIFACTS, name, args)
        self.sims.append(sim)
        self.sim = sim.start()
        self.last_captcha = None
        return sim

    def portal_args(self):
        return ["--portal-profile", "simulator", "--portal-url", self.sim.url,
                "--portal-ca", self.sim.ca]

    def start(self):
        if self.use_portal:
            self.start_sim("sim", ["--sms-resend-seconds", str(SMS_RESEND_SECONDS)])
            self.app.args += self.portal_args()
        else:
            log("this app has no portal connection (or no simulator is built): "
                "the sign-in page is used offline")
        self.app.start()
        frame = self.app.window
        expect_turkish(frame.name, "E-İmza Asistanı", "the window title")
        check(frame.name == _("E-Signature Assistant"), "window title %r" % frame.name)

    def welcome_page(self):
        renewal = self.app.find("push button", _("E-signature renewal application"))
        expect_turkish(renewal.name, "E-imza yenileme başvurusu", "the renewal button")
        strings = self.app.visible_strings()
        if TURKISH:
            for turkish in ("E-İmza Asistanı", "E-imza yenileme başvurusu", "E-onay"):
                check(turkish in strings, "%r is not on the welcome page; it shows %s"
                      % (turkish, strings))
            check(not any(s in strings for s in ("E-Signature Assistant",
                                                 "E-signature renewal application")),
                  "English strings on the Turkish welcome page: %s" % strings)
        self.app.screenshot("welcome")
        self.app.click(renewal)
        self.entry("_T.C. Kimlik No")

    def login_refuses_bad_tckn(self):
        continue_button = self.button("_Continue")
        expect_turkish(continue_button.name, "Devam", "the continue button")
        for msgid, turkish, _value in LOGIN_VALUES + [CAPTCHA + ("",)]:
            expect_turkish(self.entry(msgid).name, turkish, "the field %r" % msgid)
        self.wait_captcha_image()
        tckn = self.entry("_T.C. Kimlik No")
        self.app.type_into(tckn, BAD_TCKN)
        # The message appears once the person leaves the field.
        self.app.type_into(self.entry("_Name"), "Ayşe Gül")
        message = wait_for(lambda: self.error_beside(tckn),
                           "an error message beside the T.C. Kimlik No field")
        check("T.C. Kimlik" in message and from_catalogue(message),
              "the T.C. Kimlik No error says %r" % message)
        check(not g.is_sensitive(continue_button), "Devam is sensitive with a bad T.C. Kimlik No")
        self.app.screenshot("login-bad-tckn")

    def login_accepts_valid_data(self):
        continue_button = self.button("_Continue")
        for msgid, _turkish, value in LOGIN_VALUES:
            self.app.type_into(self.entry(msgid), value)
        self.fill_captcha()
        self.app.leave()
        tckn = self.entry("_T.C. Kimlik No")
        wait_for(lambda: not self.error_beside(tckn), "the T.C. Kimlik No error to go away")
        wait_for(lambda: g.is_sensitive(continue_button),
                 "Devam to become sensitive (status: %r)" % self.status_line())
        self.app.screenshot("login-valid")
        self.app.click(continue_button)
        # With a portal, signing in takes a round trip.
        self.app.find("push button", _("_Confirm form"), timeout=30)
        self.form_shown_at = time.monotonic()

    def form_refuses_other_province_postal_code(self):
        confirm = self.button("_Confirm form")
        expect_turkish(confirm.name, "Formu Onayla", "the confirm button")
        # The identity from the sign-in page is shown, read-only.
        strings = self.app.visible_strings()
        for _msgid, _turkish, value in LOGIN_VALUES[:5]:
            check(value in strings, "the form page does not show %r from the sign-in page" % value)

        for label, turkish in FORM_RADIOS:
            radio = self.app.find("radio button", _(label))
            expect_turkish(radio.name, turkish, "the choice %r" % label)
            self.app.click(radio)
            wait_for(lambda: radio.checked, "%r to be chosen" % label)
        for label, item in FORM_COMBOS:
            self.app.choose(self.app.find("combo box", _(label)), _(item))
        for label, value, _shown in FORM_ENTRIES:
            self.app.type_into(self.entry(label), value)
        self.app.leave()
        for label, _value, shown in FORM_ENTRIES:
            entry = self.entry(label)
            wait_for(lambda: self.app.text_of(entry) == shown,
                     "%r to show %r once left (shows %r)" % (label, shown, self.app.text_of(entry)))

        province = self.app.find("combo box", _("_Province"))
        district = self.app.find("combo box", _("_District"))
        expect_turkish(province.name, "İl", "the province list")
        expect_turkish(district.name, "İlçe", "the district list")
        check(len(self.app.combo_items(province)) == 81,
              "the province list has %d items" % len(self.app.combo_items(province)))
        self.app.choose(province, PROVINCE)
        wait_for(lambda: DISTRICT in self.app.combo_items(district),
                 "the districts of %s in the district list" % PROVINCE)
        self.app.choose(district, DISTRICT)

        postal = self.entry("P_ostal code")
        expect_turkish(postal.name, "Posta Kodu", "the postal code field")
        self.app.type_into(postal, OTHER_POSTAL_CODE)
        self.app.leave()
        message = wait_for(lambda: self.error_beside(postal),
                           "an error message beside the postal code field")
        # It names the place the code belongs to.
        check(OTHER_DISTRICT in message and OTHER_PROVINCE in message and from_catalogue(message),
              "the postal code error says %r" % message)
        check(not g.is_sensitive(confirm), "Formu Onayla is sensitive with a wrong postal code")
        self.app.scroll_into_view(postal)
        self.app.screenshot("form-wrong-postal-code")

    def form_accepts_valid_data(self):
        confirm = self.button("_Confirm form")
        postal = self.entry("P_ostal code")
        self.app.type_into(postal, POSTAL_CODE)
        self.app.leave()
        wait_for(lambda: not self.error_beside(postal), "the postal code error to go away")
        wait_for(lambda: g.is_sensitive(confirm),
                 "Formu Onayla to become sensitive (status: %r)" % self.status_line())
        self.app.scroll_into_view(confirm)
        self.app.screenshot("form-valid")

    def values_survive_back_and_forward(self):
        back = self.app.find("push button", _("Back"))
        expect_turkish(back.name, "Geri", "the back button")
        self.app.click(back)
        continue_button = self.button("_Continue")
        for msgid, _turkish, value in LOGIN_VALUES:
            entry = self.entry(msgid)
            check(self.app.text_of(entry) == value,
                  "after going back, %r holds %r instead of %r"
                  % (msgid, self.app.text_of(entry), value))
        captcha = self.app.text_of(self.captcha_entry())
        if self.sim is None:
            check(captcha == OFFLINE_CAPTCHA, "after going back, the captcha entry holds %r" % captcha)
        elif captcha != self.last_captcha:
            # A new sign-in needs the new image's characters.
            self.fill_captcha()
        wait_for(lambda: g.is_sensitive(continue_button), "Devam to be sensitive after going back")
        self.app.screenshot("login-after-back")
        self.app.click(continue_button)
        confirm = self.app.find("push button", _("_Confirm form"), timeout=30)
        for label, _typed, value in FORM_ENTRIES + [("P_ostal code", POSTAL_CODE, POSTAL_CODE)]:
            entry = self.entry(label)
            check(self.app.text_of(entry) == value,
                  "after going back and forward, %r holds %r instead of %r"
                  % (label, self.app.text_of(entry), value))
        for label, item in FORM_COMBOS + [("_Province", PROVINCE), ("_District", DISTRICT)]:
            value = self.app.combo_value(self.app.find("combo box", _(label)))
            check(value == (_(item) if label not in ("_Province", "_District") else item),
                  "after going back and forward, %r shows %r instead of %r" % (label, value, item))
        for label, _turkish in FORM_RADIOS:
            check(self.app.find("radio button", _(label)).checked,
                  "after going back and forward, %r is no longer chosen" % label)
        check(g.is_sensitive(confirm), "Formu Onayla is insensitive after going back and forward")
        self.app.screenshot("form-after-forward")

    # -- scenario 1, continued: SMS approval, signing method, result ---------

    def label_matching(self, pattern, timeout=g.DEFAULT_TIMEOUT):
        """The one label on the page whose text matches pattern."""
        return self.app.find("label", pattern, timeout=timeout)

    def page_subtitle_is(self, msgid, turkish):
        """The header bar says which step this is."""
        strings = self.app.visible_strings()
        check(_(msgid) in strings, "the header does not say %r; the page shows %s"
              % (_(msgid), strings))
        if TURKISH:
            check(turkish in strings, "the header does not say %r" % turkish)

    def attempts_text(self, n):
        return plural("%d attempt left.", "%d attempts left.", n)

    def form_confirm_leads_to_sms(self):
        confirm = self.button("_Confirm form")
        self.app.click(confirm)
        send = self.app.find("push button", _("_Send Code"), timeout=30)
        expect_turkish(send.name, "Kodu Gönder", "the send-code button")
        check(g.is_sensitive(send), "Kodu Gönder is insensitive before any code was asked for")
        self.page_subtitle_is("Step 3 of 4: SMS approval", "Adım 3/4: SMS onayı")
        # The phone is the one typed on the form, masked by the portal.
        phone = self.label_matching(_format_regex(_("Mobile phone: %s")))
        check(phone.name.endswith(MOBILE_DIGITS[-2:]),
              "the SMS page shows %r, not the mobile number ending in %s"
              % (phone.name, MOBILE_DIGITS[-2:]))
        check(MOBILE_DIGITS[2:-2] not in re.sub(r"\D", "", phone.name),
              "the SMS page shows the mobile number unmasked: %r" % phone.name)
        self.label_matching(self.attempts_text(SMS_MAX_ATTEMPTS))
        # The portal does not take a page back: no Back button from here on.
        check(not self.app.exists("push button", _("Back")),
              "the SMS page offers %r" % _("Back"))
        code = self.entry("SMS approval code")
        expect_turkish(code.name, "SMS Onay Kodu", "the SMS code field")
        check(not g.is_sensitive(self.button("_Confirm")), "Onayla is sensitive with no code typed")
        self.app.screenshot("sms")

    def wait_sms(self, before):
        """The code of the SMS the portal sent after the first `before` ones,
        read from the phone (the simulator's SMS log)."""
        phone, code = wait_for(lambda: (self.sim.sms_messages()[before:] or [None])[-1],
                               "an SMS from the portal in %s" % self.sim.sms_log, 30)
        check(phone == MOBILE_DIGITS, "the SMS went to %s, not to the number typed (%s)"
              % (phone, MOBILE_DIGITS))
        check(re.fullmatch(r"\d{6}", code), "the SMS code is %r, not 6 digits" % code)
        return code

    def sms_wrong_then_right_code(self):
        send = self.button("_Send Code")
        confirm = self.button("_Confirm")
        code_entry = self.entry("SMS approval code")
        before = len(self.sim.sms_messages())
        self.app.click(send)
        code = self.wait_sms(before)
        # The app moves the focus to the code field once the portal sent it.
        wait_for(lambda: g._states(code_entry).contains(g.pyatspi.STATE_FOCUSED),
                 "the focus to move to the SMS code field")
        countdown = plural_regex("You can ask for a new code in %d second.",
                                 "You can ask for a new code in %d seconds.")
        wait_for(lambda: not g.is_sensitive(send) and self.app.find_all("label", countdown),
                 "Kodu Gönder to wait for the resend countdown")

        wrong = "%06d" % ((int(code) + 111111) % 1000000)
        self.app.type_into(code_entry, wrong)
        wait_for(lambda: g.is_sensitive(confirm), "Onayla to become sensitive with 6 digits")
        self.app.click(confirm)
        message = PORTAL_WRONG_SMS_CODE % (SMS_MAX_ATTEMPTS - 1)
        wait_for(lambda: message in self.app.visible_strings(),
                 "the portal's message %r on the SMS page" % message, 30)
        self.label_matching(self.attempts_text(SMS_MAX_ATTEMPTS - 1))
        check(self.app.text_of(code_entry) == "",
              "the wrong code is still in the field: %r" % self.app.text_of(code_entry))
        self.app.screenshot("sms-wrong-code")

        # The countdown ends and a new code may be asked for again.
        wait_for(lambda: g.is_sensitive(send) and not self.app.find_all("label", countdown),
                 "Kodu Gönder to become sensitive after %d s" % SMS_RESEND_SECONDS,
                 SMS_RESEND_SECONDS + 10)

        self.app.type_into(code_entry, code)
        wait_for(lambda: g.is_sensitive(confirm), "Onayla to become sensitive with the code")
        self.app.click(confirm)
        self.app.find("push button", _("Apply with my e-onay"), timeout=30)

    def method_page_applies_with_eonay(self):
        card = self.app.find("push button", _("Sign with my e-signature card"))
        expect_turkish(card.name, "E-imza kartımla imzala", "the card button")
        # Signing with the card is tests/gui-esign's; here it is only offered.
        check(g.is_sensitive(card), "the card button is insensitive")
        eonay = self.app.find("push button", _("Apply with my e-onay"))
        expect_turkish(eonay.name, "E-onayımla başvur", "the e-onay button")
        check(g.is_sensitive(eonay), "the e-onay button is insensitive for a person with e-onay")
        self.page_subtitle_is("Step 4 of 4: Signing method", "Adım 4/4: İmzalama yöntemi")
        check(not self.app.exists("push button", _("Back")), "the method page offers %r" % _("Back"))
        self.app.screenshot("method")
        self.app.click(eonay)
        self.app.find("label", _("Your application has been received"), timeout=30)

    def result_page_shows_application_number(self):
        title = self.app.find("label", _("Your application has been received"))
        expect_turkish(title.name, "Başvurunuz alındı", "the result page's title")
        caption = self.app.find("label", _("Application number:"))
        # The number is the label beside its caption.
        row = caption.parent
        labels = [row.getChildAtIndex(i) for i in range(row.childCount)]
        numbers = [n for n in labels if n is not None and n.roleName == "label" and n != caption]
        check(len(numbers) == 1, "beside %r: %s" % (caption.name, [g.describe(n) for n in numbers]))
        number = self.app.text_of(numbers[0])
        check(APPLICATION_NUMBER.match(number),
              "the application number is %r, not NNNN-NNNNNN" % number)
        log("application number %s" % number)
        self.app.find("push button", _("Copy the application number"))
        self.page_subtitle_is("Application received", "Başvuru alındı")
        self.app.screenshot("result")
        done = self.button("_Done")
        expect_turkish(done.name, "Tamam", "the done button")
        self.app.click(done)
        self.app.find("push button", _("E-signature renewal application"))
        self.app.screenshot("welcome-after-done")

    def connections_to_portal(self):
        """The app's established TCP connections to the portal simulator,
        from /proc: its sockets' inodes matched in its net/tcp tables."""
        port = urllib.parse.urlsplit(self.sim.url).port
        pid = self.app.proc.pid
        inodes = set()
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            m = re.fullmatch(r"socket:\[(\d+)\]", target)
            if m:
                inodes.add(m.group(1))
        found = 0
        for table in ("tcp", "tcp6"):
            with open("/proc/%d/net/%s" % (pid, table)) as f:
                for line in f.readlines()[1:]:
                    fields = line.split()
                    remote_port = int(fields[2].rsplit(":", 1)[1], 16)
                    # 01: ESTABLISHED.
                    if remote_port == port and fields[3] == "01" and fields[9] in inodes:
                        found += 1
        return found

    def renewal_again_after_done(self):
        """Once the application is made, the app lets its portal session go
        (and the connection with it) and makes the renewal's pages again
        when it is started again: a new sign-in, with what was typed."""
        wait_for(lambda: self.connections_to_portal() == 0,
                 "the app to close its connection to the portal after Tamam")
        images_before = len(self.sim.requests(r"^GET /bp/captcha\.go "))
        self.app.click(self.app.find("push button", _("E-signature renewal application")))
        continue_button = self.button("_Continue")
        wait_for(lambda: len(self.sim.requests(r"^GET /bp/captcha\.go ")) > images_before,
                 "the app to fetch a new security image")
        self.wait_captcha_image()
        for msgid, _turkish, value in LOGIN_VALUES:
            entry = self.entry(msgid)
            check(self.app.text_of(entry) == value,
                  "a renewal started again shows %r holding %r instead of %r"
                  % (msgid, self.app.text_of(entry), value))
        check(self.app.text_of(self.captcha_entry()) == "",
              "the captcha field holds %r for a new image" % self.app.text_of(self.captcha_entry()))
        check(not g.is_sensitive(continue_button), "Devam is sensitive without the new captcha")
        self.app.screenshot("login-renewal-again")
        self.app.click(self.app.find("push button", _("Back")))
        self.app.find("push button", _("E-signature renewal application"))

    # -- scenario 2: the portal session expires on the form page -------------

    def signed_in(self):
        """Wait for the form page after Devam; fail at once, and say why, if
        the portal ended the session during the sign-in itself (the test
        typed for longer than the session timeout)."""
        def outcome():
            if self.app.find_all("push button", _("_Confirm form")):
                return "form"
            if any(t in SESSION_EXPIRED_TEXTS for t in self.app.visible_strings()):
                return "expired"
            return None

        if wait_for(outcome, "the form page after signing in", 30) == "expired":
            self.log_idle_gaps()
            raise g.GuiTestError("the portal session expired while signing in: the sign-in took "
                                 "longer than --session-timeout %d (EIMZA_GUI_SESSION_TIMEOUT)"
                                 % EXPIRY_SESSION_TIMEOUT)
        self.form_shown_at = time.monotonic()
        self.log_idle_gaps()
        return self.button("_Confirm form")

    def expiry_sign_in(self):
        """A second portal whose sessions expire after a few idle seconds,
        a new app on it, and a sign-in."""
        self.start_sim("sim-expiry", ["--session-timeout", str(EXPIRY_SESSION_TIMEOUT)])
        self.app = g.App(APP, ARTIFACTS, "app-%s-expiry" % LANG, env=app_env(),
                         args=self.portal_args())
        self.apps.append(self.app)
        self.app.start()
        self.app.click(self.app.find("push button", _("E-signature renewal application")))
        self.wait_captcha_image()
        for msgid, _turkish, value in LOGIN_VALUES:
            self.app.type_into(self.entry(msgid), value)
        self.fill_captcha()
        continue_button = self.button("_Continue")
        wait_for(lambda: g.is_sensitive(continue_button),
                 "Devam to become sensitive (status: %r)" % self.status_line())
        self.app.click(continue_button)
        self.signed_in()

    def log_idle_gaps(self):
        """The longest pauses between the portal's requests so far: they
        must stay under its session timeout except where the test waits."""
        stamps = []
        with open(self.sim.stderr_path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = re.search(r"-DEBUG: (\d+):(\d+):(\d+\.\d+): (.*)$", line.rstrip())
                if m:
                    h, mi, sec = int(m.group(1)), int(m.group(2)), float(m.group(3))
                    stamps.append((h * 3600 + mi * 60 + sec, m.group(4)))
        gaps = ["%.1f s before %s" % (b[0] - a[0], b[1]) for a, b in zip(stamps, stamps[1:])]
        log("pauses between portal requests: %s" % "; ".join(gaps))

    def expiry_form_typed_then_idle(self):
        confirm = self.button("_Confirm form")
        for label, item in EXPIRY_FORM_COMBOS:
            self.app.choose(self.app.find("combo box", _(label)), _(item))
        for label, _turkish in EXPIRY_FORM_RADIOS:
            radio = self.app.find("radio button", _(label))
            self.app.click(radio)
            wait_for(lambda: radio.checked, "%r to be chosen" % label)
        for label, value, _shown in EXPIRY_FORM_ENTRIES:
            self.app.type_into(self.entry(label), value)
        self.app.leave()
        for label, _value, shown in EXPIRY_FORM_ENTRIES:
            entry = self.entry(label)
            wait_for(lambda: self.app.text_of(entry) == shown,
                     "%r to show %r once left (shows %r)" % (label, shown, self.app.text_of(entry)))
        wait_for(lambda: g.is_sensitive(confirm),
                 "Formu Onayla to become sensitive (status: %r)" % self.status_line())
        self.app.scroll_into_view(confirm)
        self.app.screenshot("form-typed")
        # The person leaves the form open longer than the portal keeps an
        # idle session: the one fixed wait of the test.
        idle = EXPIRY_SESSION_TIMEOUT + 1.0 - (time.monotonic() - self.form_shown_at)
        if idle > 0:
            log("waiting %.1f s for the portal session to expire" % idle)
            time.sleep(idle)

    def expired_session_returns_to_sign_in(self):
        confirm = self.button("_Confirm form")
        images_before = len(self.sim.requests(r"^GET /bp/captcha\.go "))
        self.app.click(confirm)
        continue_button = self.app.find("push button", _("_Continue"), timeout=30)
        # The app asked the portal for a new sign-in page and its image.
        wait_for(lambda: len(self.sim.requests(r"^GET /bp/captcha\.go ")) > images_before,
                 "the app to fetch a new security image")
        self.wait_captcha_image()
        posts = self.sim.requests(r"^POST /bp/basvuru\.go ")
        check(posts and posts[-1].endswith("-> 200"),
              "the form was not answered with the expired-session page: %s" % posts)
        # Still there once the new image is: the person reads it while typing.
        message = wait_for(lambda: next((t for t in self.app.visible_strings()
                                         if t in SESSION_EXPIRED_TEXTS), None),
                           "the message %r (or %r) on the sign-in page, with the new image"
                           % SESSION_EXPIRED_TEXTS, 5)
        log("the sign-in page says %r" % message)
        for msgid, _turkish, value in LOGIN_VALUES:
            entry = self.entry(msgid)
            check(self.app.text_of(entry) == value,
                  "after the session expired, %r holds %r instead of %r"
                  % (msgid, self.app.text_of(entry), value))
        check(self.app.text_of(self.captcha_entry()) == "",
              "the captcha field still holds %r for the new image"
              % self.app.text_of(self.captcha_entry()))
        check(self.sim.captcha() != self.last_captcha, "the portal showed no new captcha")
        check(not g.is_sensitive(continue_button), "Devam is sensitive without the new captcha")
        self.app.screenshot("login-session-expired")

    def sign_in_again_keeps_form(self):
        continue_button = self.button("_Continue")
        self.fill_captcha()
        wait_for(lambda: g.is_sensitive(continue_button), "Devam to become sensitive")
        self.app.click(continue_button)
        confirm = self.signed_in()
        for label, _typed, shown in EXPIRY_FORM_ENTRIES:
            entry = self.entry(label)
            check(self.app.text_of(entry) == shown,
                  "after signing in again, %r holds %r instead of %r"
                  % (label, self.app.text_of(entry), shown))
        for label, item in EXPIRY_FORM_COMBOS:
            value = self.app.combo_value(self.app.find("combo box", _(label)))
            check(value == _(item), "after signing in again, %r shows %r instead of %r"
                  % (label, value, _(item)))
        for label, _turkish in EXPIRY_FORM_RADIOS:
            check(self.app.find("radio button", _(label)).checked,
                  "after signing in again, %r is no longer chosen" % label)
        check(g.is_sensitive(confirm), "Formu Onayla is insensitive after signing in again")
        self.app.screenshot("form-after-sign-in-again")

    def huge_captcha_refused(self):
        """A portal whose captcha is a 20000 × 20000 PNG of some kilobytes:
        the image is refused from its header, with the size and Try Again,
        before any decoding; the app keeps working and stays small."""
        # One instance at a time: a second one would hand over to this one.
        self.app_exits_cleanly()
        self.start_sim("sim-huge-captcha", ["--fault", "huge-captcha"])
        self.app = g.App(APP, ARTIFACTS, "app-%s-huge-captcha" % LANG, env=app_env(),
                         args=self.portal_args())
        self.apps.append(self.app)
        self.app.start()
        self.app.click(self.app.find("push button", _("E-signature renewal application")))
        message = _catalogue.gettext(HUGE_CAPTCHA_MESSAGE) % (HUGE_CAPTCHA_SIDE, HUGE_CAPTCHA_SIDE)
        wait_for(lambda: message in self.app.visible_strings(),
                 "the message that the image is too large (shows %r)"
                 % self.app.visible_strings(), 30)
        retry = self.app.find("push button", _("_Try Again"))
        check(g.is_showing(retry) and g.is_sensitive(retry), "Try Again must be offered")
        check(not g.is_sensitive(self.button("_Continue")), "Devam must stay insensitive")
        self.app.screenshot("huge-captcha")
        self.app.click(retry)
        wait_for(lambda: len(self.sim.requests(r"GET /bp/captcha\.go")) >= 2,
                 "a new image to be asked for", 30)
        wait_for(lambda: message in self.app.visible_strings(), "the message again", 30)
        # Typing still works: the main loop never decoded a gigabyte.
        name = self.entry("_Name")
        self.app.type_into(name, "Ayşe")
        check(self.app.text_of(name) == "Ayşe", "the page must stay responsive")
        with open("/proc/%d/status" % self.app.proc.pid) as f:
            rss_kb = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
        log("app resident size with the huge captcha: %d MiB" % (rss_kb // 1024))
        check(rss_kb < 1024 * 1024, "the app holds %d MiB: the image was decoded" % (rss_kb // 1024))

    def app_exits_cleanly(self, app=None):
        app = app or self.app
        if app.proc is None:
            raise g.GuiTestError("the app (%s) never started" % app.name)
        status = app.quit()
        check(status == 0, "the app (%s) exited with status %s; stderr:\n%s"
              % (app.name, status, app.stderr_tail()))
        app.check_stderr()

    def clean_exit(self):
        """Every app closes with status 0 and a clean stderr, every portal
        simulator stops cleanly (each checked even if another failed)."""
        problems = []
        for app in self.apps:
            if app.proc is None:
                continue
            try:
                self.app_exits_cleanly(app)
            except AssertionError as exc:
                problems.append(str(exc))
        if not any(app.proc is not None for app in self.apps):
            problems.append("the app never started")
        for sim in self.sims:
            status = sim.stop()
            if status != 0:
                problems.append("the portal simulator %s exited with status %s (stderr in %s)"
                                % (sim.name, status, sim.stderr_path))
        check(not problems, "\n".join(problems))

    def on_failure(self):
        """Keep evidence of the first failure: a screenshot and the tree."""
        if self.dumped or self.app.proc is None or self.app.proc.poll() is not None:
            return
        self.dumped = True
        try:
            self.app.screenshot("FAILED")
            self.app.dump("FAILED")
        except Exception as exc:
            log("could not save the failure evidence: %s" % exc)


def main():
    values = dict((label, value) for label, _name, value in LOGIN_VALUES)
    g.secret_canary.secret("T.C. Kimlik No", values["_T.C. Kimlik No"])
    g.secret_canary.secret("date of birth", values["_Date of birth"])
    g.secret_canary.name(values["_Name"] + " " + values["_Surname"])
    g.secret_canary.secret("security word", dict((e[0], e[1]) for e in FORM_ENTRIES)["_Security word"])
    use_portal = os.access(SIM, os.X_OK) and app_talks_to_portal()
    s = Scenario(use_portal)
    steps = [
        ("app starts (%s)" % LANG, s.start),
        ("welcome page, in Turkish, leads to the renewal application" if TURKISH
         else "welcome page leads to the renewal application", s.welcome_page),
        ("sign-in page refuses a T.C. Kimlik No with a wrong check digit", s.login_refuses_bad_tckn),
        ("sign-in page accepts valid data", s.login_accepts_valid_data),
        ("form page refuses a postal code of another province",
         s.form_refuses_other_province_postal_code),
        ("form page accepts a complete, valid form", s.form_accepts_valid_data),
        ("values survive going back and forward", s.values_survive_back_and_forward),
    ]
    if use_portal:
        steps += [
            ("Formu Onayla leads to SMS approval, with the masked mobile number",
             s.form_confirm_leads_to_sms),
            ("a wrong SMS code is refused with the portal's message, the right one accepted",
             s.sms_wrong_then_right_code),
            ("signing method: no card, the application goes with e-onay",
             s.method_page_applies_with_eonay),
            ("result page shows the application number; Tamam goes to the welcome page",
             s.result_page_shows_application_number),
            ("after Tamam the portal connection is closed; the renewal started again "
             "signs in anew with what was typed", s.renewal_again_after_done),
            ("the first app exits cleanly", s.app_exits_cleanly),
            ("session expiry: a portal with %d s sessions, a new app signs in"
             % EXPIRY_SESSION_TIMEOUT, s.expiry_sign_in),
            ("form values typed, then the form left idle past the session timeout",
             s.expiry_form_typed_then_idle),
            ("Formu Onayla on an expired session: sign-in page with the message, "
             "a new captcha, every field kept", s.expired_session_returns_to_sign_in),
            ("signing in again: the form still holds what was typed", s.sign_in_again_keeps_form),
            ("a 20000 × 20000 captcha is refused from its header, with Try Again",
             s.huge_captcha_refused),
        ]
    else:
        log("no portal: the SMS, method, result and session-expiry steps are left out")
    try:
        return g.run_checks(steps, final=("apps exit cleanly, no sanitizer or GLib errors; "
                                          "simulators stop cleanly", s.clean_exit),
                            on_failure=s.on_failure)
    finally:
        for app in s.apps:
            app.kill()
        for sim in s.sims:
            sim.stop()


if __name__ == "__main__":
    sys.exit(main())
