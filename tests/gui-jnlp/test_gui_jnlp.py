#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""GUI test of issue #5's .jnlp hand-off: opening a Kamu SM .jnlp from the
file manager signs natively, without Java.

The app's desktop file (Exec pointing at the build tree's program with the
test's arguments), the MIME package and a mimeapps.list go into private
XDG directories; `gio open FILE.jnlp` then starts the app the way a file
manager does.  The web side is the simulator's NES site: the test logs in
there like a browser (TLS with a client certificate of the same person in
a file, the T.C. Kimlik No form), reads the verification code the page
shows and downloads the page's real .jnlp.  The app must come up on the
signing page; the code is typed as a person might (lower case, no hyphen);
the site asks for the card's certificate when the app connects (PIN), the
signing step signs with the SoftHSM2 token behind a virtual card (PIN
again), and the upload reaches "Signed".  The web session has then moved
on, which proves the site accepted the signature.  Hostile and foreign
.jnlp files opened in the running app get their explanation, and a second
file opened while a signing is in progress is only taken after asking.

pcscd listens on the one socket /run/pcscd/pcscd.comm, so the test holds
the lock /tmp/eimza-pcscd-tests.lock like the other card tests.

Run through run-gui-jnlp-test.sh (meson test --suite gui-jnlp).
"""

import http.client
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
# The shared helpers of the GUI tests.
sys.path.insert(0, os.path.join(HERE, "..", "gui-common"))

import eimza_gui as g  # noqa: E402  (sets dogtail up before importing it)
from eimza_gui import check, log, wait_for  # noqa: E402
import pyatspi  # noqa: E402

import card_gui as cg  # noqa: E402
from card_gui import (  # noqa: E402
    _, SRCDIR, SOFTHSM_MODULE, USER_PIN, TCKN, HOLDER, find_in, texts_in, matches, pin_title)

BUILDDIR = os.environ["EIMZA_BUILDDIR"]
APP = os.environ.get("EIMZA_APP", os.path.join(BUILDDIR, "src", "ui", "eimza-asistan"))
SIM = os.environ.get("EIMZA_PORTAL_SIM",
                     os.path.join(BUILDDIR, "tools", "portal-sim", "eimza-portal-sim"))
DESKTOP_FILE = os.environ.get("EIMZA_DESKTOP_FILE",
                              os.path.join(BUILDDIR, "data", "io.github.eimza.Asistan.desktop"))
MIME_PACKAGE = os.path.join(SRCDIR, "data", "io.github.eimza.Asistan.mime.xml")
HOSTILE_DIR = os.path.join(SRCDIR, "tests", "portal", "jnlp")
ARTIFACTS = os.environ.get("EIMZA_GUI_ARTIFACTS",
                           os.path.join(BUILDDIR, "tests", "gui-jnlp-artifacts"))
SCRATCH = os.environ["EIMZA_GUI_JNLP_SCRATCH"]
APP_ID = "io.github.eimza.Asistan"


# -- the app, started by gio rather than by the test ---------------------------

class ExternalProcess:
    """A process the test did not spawn but reaps: gio starts the app and
    exits, and the test is the child subreaper that inherits it.  Offers
    what eimza_gui.App uses of subprocess.Popen."""

    def __init__(self, pid):
        self.pid = pid
        self.returncode = None

    def poll(self):
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.returncode = -1
                return self.returncode
            if pid == self.pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired("eimza-asistan", timeout)
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, sig):
        if self.poll() is None:
            os.kill(self.pid, sig)

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def kill(self):
        self.send_signal(signal.SIGKILL)


def same_program(pid):
    try:
        return os.path.realpath("/proc/%d/exe" % pid) == os.path.realpath(APP)
    except OSError:
        return False


def find_app_on_bus(exclude=()):
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        try:
            pid = app.get_process_id()
        except Exception:
            continue
        if pid not in exclude and same_program(pid):
            return app, pid
    return None


# -- the web side: the simulator's NES site as a browser sees it ---------------

class NesBrowser:
    """A browser on the simulator's NES site, logged in with a client
    certificate of the person in a file (the card's key never leaves the
    token; this certificate is issued to the same person by the test CA)."""

    def __init__(self, nes_url, ca_file, cert_file, key_file):
        u = urllib.parse.urlsplit(nes_url)
        self.host, self.port = u.hostname, u.port
        self.ctx = ssl.create_default_context(cafile=ca_file)
        self.ctx.load_cert_chain(cert_file, key_file)
        self.conn = None
        self.cookie = None

    def request(self, method, path, body=None):
        if self.conn is None:
            self.conn = http.client.HTTPSConnection(self.host, self.port, context=self.ctx,
                                                    timeout=30)
        headers = {}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        data = r.read()
        for name, value in r.getheaders():
            if name.lower() == "set-cookie" and value.startswith("JSESSIONID="):
                self.cookie = value.split(";", 1)[0]
        return r.status, r.getheader("Location"), data

    def log_in(self, tckn):
        """The T.C. Kimlik No form; returns the code the page shows."""
        status, _loc, page = self.request("GET", "/nb/nbimzali.go")
        check(status == 200, "GET /nb/nbimzali.go answered %d" % status)
        m = re.search(rb'name="javax\.faces\.ViewState" value="([^"]*)"', page)
        check(m is not None, "no view state on the NES login page")
        body = urllib.parse.urlencode({"javax.faces.ViewState": m.group(1).decode(),
                                       "tcKimlikNo": tckn, "girisButonu": "GİRİŞ"})
        status, location, _page = self.request("POST", "/nb/nbimzali.go", body)
        check(status == 303, "the NES login answered %d, not 303" % status)
        return self.shown_code()

    def shown_code(self):
        status, location, page = self.request("GET", "/nb/dogrulama.go")
        check(status == 200, "GET /nb/dogrulama.go answered %d (%s)" % (status, location))
        m = re.search(rb'id="dogrulamaKodu">([^<]+)<', page)
        check(m is not None, "the code page shows no code")
        return m.group(1).decode().strip()

    def code_page_redirect(self):
        """Where the code page sends the browser once the signature is in."""
        status, location, _page = self.request("GET", "/nb/dogrulama.go")
        return location if status == 303 else None

    def download(self, path):
        status, _loc, data = self.request("GET", path)
        check(status == 200, "GET %s answered %d" % (path, status))
        return data


class JnlpTest(cg.CardGuiTest):
    def __init__(self):
        super().__init__(ARTIFACTS)
        self.sim = None
        self.browser = None
        self.signer_jnlp = None
        self.gio_log = os.path.join(ARTIFACTS, "app-stderr.log")
        g.secret_canary.log_file(self.gio_log)

    # -- setting up ---------------------------------------------------------

    def make_browser_certificate(self):
        """A TLS client certificate of the same person, key in a file, from
        the test CA: the browser's side of the NES login."""
        tmpl = os.path.join(SCRATCH, "browser.tmpl")
        key = os.path.join(SCRATCH, "browser-key.pem")
        cert = os.path.join(SCRATCH, "browser-cert.pem")
        with open(tmpl, "w") as f:
            f.write('cn = "%s"\ncountry = TR\ndn_oid = "2.5.4.5 %s"\nexpiration_days = 30\n'
                    'signing_key\ntls_www_client\n' % (HOLDER, TCKN))
        subprocess.run(["certtool", "--generate-privkey", "--key-type", "ecdsa", "--curve",
                        "secp256r1", "--outfile", key], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["certtool", "--generate-certificate", "--load-privkey", key,
                        "--load-ca-certificate", os.path.join(self.token_dir, "testca.pem"),
                        "--load-ca-privkey", os.path.join(self.token_dir, "testca-key.pem"),
                        "--template", tmpl, "--outfile", cert], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return cert, key

    def install_desktop_integration(self):
        """The desktop file (Exec = the build tree's program with the test's
        arguments), the MIME package and the default-application choice, in
        the private XDG directories run-gui-jnlp-test.sh set."""
        data_home = os.environ["XDG_DATA_HOME"]
        config_home = os.environ["XDG_CONFIG_HOME"]
        apps = os.path.join(data_home, "applications")
        mime = os.path.join(data_home, "mime")
        os.makedirs(apps, exist_ok=True)
        os.makedirs(os.path.join(mime, "packages"), exist_ok=True)
        os.makedirs(config_home, exist_ok=True)

        with open(DESKTOP_FILE, encoding="utf-8") as f:
            desktop = f.read()
        m = re.search(r"^Exec=eimza-asistan( %[fFuU])?$", desktop, re.M)
        check(m is not None, "the desktop file has no 'Exec=eimza-asistan [%%f]' line")
        check(m.group(1) is not None, "the desktop file's Exec takes no file (%f/%U)")
        check(re.search(r"^MimeType=.*application/x-java-jnlp-file;", desktop, re.M),
              "the desktop file does not claim application/x-java-jnlp-file")
        args = ["--portal-profile", "simulator", "--portal-url", self.sim.url,
                "--portal-ca", self.sim.ca, "--pkcs11-module", SOFTHSM_MODULE]
        exec_line = "Exec=%s %s%s" % (APP, " ".join(args), m.group(1))
        desktop = desktop[:m.start()] + exec_line + desktop[m.end():]
        with open(os.path.join(apps, APP_ID + ".desktop"), "w", encoding="utf-8") as f:
            f.write(desktop)
        shutil.copy(MIME_PACKAGE, os.path.join(mime, "packages", APP_ID + ".xml"))
        with open(os.path.join(config_home, "mimeapps.list"), "w") as f:
            f.write("[Default Applications]\napplication/x-java-jnlp-file=%s.desktop\n" % APP_ID)
        subprocess.run(["update-mime-database", mime], check=True)
        subprocess.run(["update-desktop-database", apps], check=True)

        # What gio itself now says about a .jnlp.
        probe = os.path.join(SCRATCH, "probe.jnlp")
        shutil.copy(os.path.join(HOSTILE_DIR, "simulator-signer.jnlp"), probe)
        info = subprocess.run(["gio", "info", "-a", "standard::content-type", probe],
                              capture_output=True, text=True).stdout
        check("application/x-java-jnlp-file" in info, "gio does not see a .jnlp file's type: %r" % info)
        default = subprocess.run(["gio", "mime", "application/x-java-jnlp-file"],
                                 capture_output=True, text=True).stdout
        check(APP_ID + ".desktop" in default.splitlines()[0] if default else False,
              "gio's default for .jnlp is not the app: %r" % default)
        log("gio opens .jnlp files with %s" % default.splitlines()[0])

    def app_env(self):
        env = dict(os.environ)
        env.update(cg.app_env(self.token_dir))
        # Every message the app can log, for the secret canary.
        env["G_MESSAGES_DEBUG"] = "all"
        return env

    def gio_open(self, path):
        """What a file manager does on a double-click."""
        log("gio open %s" % path)
        with open(self.gio_log, "a") as err:
            subprocess.run(["gio", "open", path], env=self.app_env(), check=True,
                           stdin=subprocess.DEVNULL, stdout=err, stderr=err, timeout=30)

    def attach_app(self, timeout=40.0):
        """The app gio started, found on the accessibility bus."""
        found = wait_for(find_app_on_bus, "the app started by gio on the accessibility bus",
                         timeout)
        root, pid = found
        app = g.App(APP, ARTIFACTS, "app")
        app.proc = ExternalProcess(pid)
        app._stderr = open(self.gio_log, "a")
        app._stdout = open(os.devnull, "w")
        app.stderr_path = self.gio_log
        app.root = root
        g._liveness_checks.append(app._check_alive)
        app.window = wait_for(app._showing_frame, "the app's main window to show", timeout)
        log("app %d is up: %s" % (pid, g.describe(app.window)))
        return app

    def pin_dialog_or(self, other, timeout=60):
        """Waits for the PIN dialog or for other() (a node); returns
        ("pin", dialog) or ("other", node)."""
        title = pin_title()

        def either():
            root = self.app.root
            for i in range(root.childCount):
                w = root.getChildAtIndex(i)
                if w is not None and matches(w, "dialog", title) and g.is_showing(w):
                    return ("pin", w)
            node = other()
            # other() answers with a node or None; anything else (a list, a
            # bool) would make this wait pass at once, whatever is shown.
            check(node is None or hasattr(node, "roleName"),
                  "pin_dialog_or: other() returned %r, not a node or None" % (node,))
            return ("other", node) if node is not None else None

        return wait_for(either, "the PIN dialog or the next page", timeout)

    def enter_card_pin(self, dialog, label):
        # "Giriş Yap" for the connection's PIN, "İmzala" for a signature's.
        accept = re.compile(r"^(%s|%s|%s)$" % (
            re.escape(_("_Sign")), re.escape(_("_Log In")), re.escape(_("_OK"))))
        self.enter_pin(USER_PIN, screenshot=label, accept=accept, dialog=dialog, gone_timeout=30)

    def code_entry(self, timeout=g.DEFAULT_TIMEOUT):
        return self.app.find("text", _("Verification code"), timeout=timeout)

    # -- steps --------------------------------------------------------------

    def step_setup(self):
        # Orphans (the app, once gio has exited) become the test's children.
        check(cg.libc.prctl(36, 1, 0, 0, 0) == 0, "cannot become a child subreaper")  # PR_SET_CHILD_SUBREAPER
        self.lock_pcscd("the .jnlp GUI test")
        self.make_token(SCRATCH)
        self.start_reader()
        cert, key = self.make_browser_certificate()
        self.sim = cg.NesSim(SIM, ARTIFACTS, "sim", self.test_ca(), signature_log=False,
                             args=["--tls-dir", os.path.join(SCRATCH, "sim-tls")]).start()
        self.sims.append(self.sim)
        self.browser = NesBrowser(self.sim.nes_url, self.sim.ca, cert, key)
        self.install_desktop_integration()

    def step_open_signer(self):
        self.code = self.browser.log_in(TCKN)
        log("the web page shows a verification code")
        self.signer_jnlp = os.path.join(SCRATCH, "Downloads", "nesimza.jnlp")
        os.makedirs(os.path.dirname(self.signer_jnlp), exist_ok=True)
        with open(self.signer_jnlp, "wb") as f:
            f.write(self.browser.download("/nb/imza/nesimza.jnlp"))
        self.gio_open(self.signer_jnlp)
        self.app = self.attach_app()
        entry = self.code_entry(timeout=30)
        check(g.is_sensitive(entry), "the code entry is not sensitive")
        host = self.app.find("label", re.compile(re.escape("127.0.0.1")))
        log("origin: %r" % self.app.text_of(host))
        cont = self.app.find("push button", _("_Continue"))
        check(not g.is_sensitive(cont), "Continue must wait for a code")
        self.app.screenshot("code-page")

    def step_unknown_code(self):
        entry = self.code_entry()
        wrong = "ZZZZ-2222" if self.code != "ZZZZ-2222" else "YYYY-3333"
        self.app.type_into(entry, wrong)
        cont = self.app.find("push button", _("_Continue"))
        wait_for(lambda: g.is_sensitive(cont), "Continue to accept a well-formed code")
        self.app.click(cont)
        message = _("The web site does not know this code, or it has been used already. Check "
                    "the code on the web page; if the page shows a new one, type that.")

        def error_shown():
            nodes = self.app.find_all("label", message)
            return nodes[0] if nodes else None

        # The simulator's site asks for the card's certificate on connecting.
        kind, node = self.pin_dialog_or(error_shown)
        if kind == "pin":
            log("the site asked for the card's certificate: PIN for the connection")
            self.enter_card_pin(node, "connection-pin")
            self.app.find("label", message, timeout=30)
        check(self.app.text_of(entry) == wrong, "the typed code was lost")
        self.app.screenshot("unknown-code")

    def step_type_code(self):
        entry = self.code_entry()
        # Half a code: Continue stays insensitive.
        self.app.type_into(entry, self.code.replace("-", "")[:5].lower())
        cont = self.app.find("push button", _("_Continue"))
        check(not g.is_sensitive(cont), "Continue is sensitive for half a code")
        # Pasted from a word processor, with a Unicode hyphen (U+2010): the
        # hint and Continue give the one verdict, a whole code.
        bad_hint = _("A code has only letters and digits, like K7QM-4XTP.")
        self.app.type_into(entry, self.code.replace("-", "\u2010"))
        wait_for(lambda: g.is_sensitive(cont), "Continue to accept the code with U+2010")
        hints = [n.name for n in self.app.find_all("label") if n.name == bad_hint]
        check(not hints, "the hint calls U+2010 a bad character while Continue takes the code")
        self.app.screenshot("code-unicode-hyphen")
        # As a person copies it: lower case, no hyphen.
        self.app.type_into(entry, self.code.replace("-", "").lower())
        wait_for(lambda: g.is_sensitive(cont), "Continue to accept the code")
        self.app.click(cont)

        def sign_button():
            nodes = self.app.find_all("push button", _("_Sign"))
            return nodes[0] if len(nodes) == 1 else None

        # The simulator's site asks for the card's certificate on connecting.
        kind, node = self.pin_dialog_or(sign_button)
        if kind == "pin":
            log("the site asked for the card's certificate: PIN for the connection")
            self.enter_card_pin(node, "connection-pin")
            self.app.find("push button", _("_Sign"), timeout=30)
        text = self.app.find("text", _("Text to be signed"), timeout=10)
        shown = self.app.text_of(text)
        check(self.code in shown, "the text to be signed does not name the code: %r" % shown[:200])
        self.app.screenshot("sign-step")

    def step_sign(self):
        sign = self.app.find("push button", _("_Sign"))
        wait_for(lambda: g.is_sensitive(sign), "Sign to become sensitive", 30)
        self.app.click(sign)
        dialog = self.pin_dialog(timeout=30)
        self.enter_card_pin(dialog, "signing-pin")
        self.app.find("label", _("Signed"), timeout=30)
        self.app.find("push button", _("_Done"))
        self.app.screenshot("signed")
        location = self.browser.code_page_redirect()
        check(location is not None and location.endswith("/nb/islemler.go"),
              "the web site did not move on after the signature (code page -> %r)" % location)
        log("the web page continues to %s" % location)

    def step_done(self):
        self.app.click(self.app.find("push button", _("_Done")))
        self.app.find("push button", _("E-signature renewal application"),
                      timeout=10)

    def explanation(self, name, title, label):
        path = os.path.join(SCRATCH, "Downloads", name)
        shutil.copy(os.path.join(HOSTILE_DIR, name), path)
        self.gio_open(path)
        self.app.find("label", title, timeout=30)
        self.app.find("label", re.compile(re.escape(name) + "$"))
        self.app.screenshot(label)
        self.app.click(self.app.find("push button", _("_Back to Start")))

    def step_hostile(self):
        pid = self.app.proc.pid
        # Entity expansion, external entities, a non-HTTPS codebase.
        self.explanation("billion-laughs.jnlp", _("This file cannot be used"), "billion-laughs")
        self.explanation("xxe.jnlp", _("This file cannot be used"), "xxe")
        self.explanation("http-codebase.jnlp", _("This file cannot be used"), "http-codebase")
        # A sound file of another application.
        self.explanation("unknown-class.jnlp", _("This is not a Kamu SM signing file"),
                         "unknown-app")
        check(self.app.proc.poll() is None and self.app.proc.pid == pid,
              "the running app did not take the files")
        extra = find_app_on_bus(exclude=(pid,))
        check(extra is None, "a second app instance is running")

    def step_second_file_asks(self):
        self.gio_open(self.signer_jnlp)
        entry = self.code_entry(timeout=30)
        self.app.type_into(entry, "abcd")
        other = os.path.join(SCRATCH, "Downloads", "unknown-class.jnlp")
        self.gio_open(other)
        dialog = self.top("alert", None, timeout=30)
        check(any(t == _("Stop the signing in progress?") for t in texts_in(dialog)),
              "the question is not asked: %r" % texts_in(dialog))
        self.screenshot_root("second-file-question")
        self.app.click(find_in(dialog, "push button", _("_Keep Signing")))
        self.top_gone("alert", None)
        check(self.app.text_of(self.code_entry()) == "abcd", "the typed code was lost")
        self.gio_open(other)
        dialog = self.top("alert", None, timeout=30)
        self.app.click(find_in(dialog, "push button", _("_Open New File")))
        self.app.find("label", _("This is not a Kamu SM signing file"), timeout=30)
        self.app.click(self.app.find("push button", _("_Back to Start")))


def main():
    t = JnlpTest()
    steps = [
        ("token, virtual card, NES site; desktop file and MIME type in a private XDG dir",
         t.step_setup),
        ("gio open of the site's .jnlp starts the app on the signing page", t.step_open_signer),
        ("a code the site does not know: a plain message, the code stays",
         t.step_unknown_code),
        ("the code, typed in lower case without hyphen, brings the signing step",
         t.step_type_code),
        ("signed with the card: 'Signed', and the web site moves on", t.step_sign),
        ("Done goes back to the welcome page", t.step_done),
        ("hostile and foreign .jnlp files are explained, in the same app", t.step_hostile),
        ("a second .jnlp during a signing is taken only after asking", t.step_second_file_asks),
    ]
    return g.run_checks(steps, final=("app closes cleanly", t.final_quit), on_failure=t.on_failure)


if __name__ == "__main__":
    sys.exit(main())
