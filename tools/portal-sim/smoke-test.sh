#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Smoke test of eimza-portal-sim: walks the whole portal flow and its faults with curl.
#
# Usage: smoke-test.sh PATH/TO/eimza-portal-sim
# CURL may name the curl binary; when there is none the test reports a skip
# (exit 77, which meson understands).

set -euo pipefail

SIM=${1:?usage: smoke-test.sh PATH/TO/eimza-portal-sim}
CURL=${CURL-$(command -v curl || true)}
if [ -z "$CURL" ]; then
    echo "SKIP: curl not found"
    exit 77
fi

# Short timings so that expiry can be tested by waiting: the session must
# outlive the SMS code, and both must be short.
SESSION_TIMEOUT=4
SMS_TTL=2
SMS_RESEND=2

WORK=$(mktemp -d "${TMPDIR:-/tmp}/eimza-portal-sim-smoke.XXXXXX")
SIM_PIDS=()
STEP=0

cleanup () {
    local pid
    for pid in "${SIM_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

fail () {
    echo "FAIL: $*" >&2
    for log in "$WORK"/sim-*.err; do
        [ -s "$log" ] && { echo "--- $log" >&2; tail -n 30 "$log" >&2; }
    done
    exit 1
}

pass () {
    STEP=$((STEP + 1))
    echo "ok $STEP - $*"
}

# expect FILE TEXT WHAT: FILE contains TEXT (fixed string).
expect () {
    grep -qF -- "$2" "$1" || fail "$3: “$2” not found in $(basename "$1")"
}

# expect_not FILE TEXT WHAT
expect_not () {
    if grep -qF -- "$2" "$1"; then fail "$3: “$2” unexpectedly in $(basename "$1")"; fi
}

# start_sim NAME ARGS…: starts a simulator, waits for its listening line and
# sets BASE, CA, PID and TLS_DIR_OF_LAST.
start_sim () {
    local name=$1 line=""
    shift
    "$SIM" --port 0 "$@" >"$WORK/sim-$name.out" 2>"$WORK/sim-$name.err" &
    PID=$!
    SIM_PIDS+=("$PID")
    for _ in $(seq 200); do
        line=$(head -n 1 "$WORK/sim-$name.out" 2>/dev/null || true)
        [ -n "$line" ] && break
        kill -0 "$PID" 2>/dev/null || fail "simulator $name exited early"
        sleep 0.1
    done
    [[ $line =~ ^listening\ (https://127\.0\.0\.1:[0-9]+/)\ ca=(.+)$ ]] \
        || fail "simulator $name printed “$line”, not the listening line"
    BASE=${BASH_REMATCH[1]%/}
    CA=${BASH_REMATCH[2]}
}

# stop_sim PID: SIGTERM must end it cleanly.
stop_sim () {
    local status=0
    kill -TERM "$1"
    wait "$1" || status=$?
    [ "$status" -eq 0 ] || fail "simulator exited with $status after SIGTERM"
}

# --- the client side -------------------------------------------------------

JAR=""

# c ARGS…: curl with the test CA and the current cookie jar.
c () {
    "$CURL" -sS --cacert "$CA" -b "$JAR" -c "$JAR" "$@"
}

session_id () {
    awk -F'\t' '$6 == "JSESSIONID" { print $7 }' "$JAR"
}

# The cookie has Path=/bp, so the test endpoints get it explicitly.
sim_get () {
    "$CURL" -sS --cacert "$CA" -H "Cookie: JSESSIONID=$(session_id)" "$BASE/_sim/$1"
}

queue_faults () {
    local code
    code=$("$CURL" -sS --cacert "$CA" -H "Cookie: JSESSIONID=$(session_id)" \
        -o /dev/null -w '%{http_code}' --data-binary "$1" "$BASE/_sim/faults")
    [ "$code" = 200 ] || fail "POST /_sim/faults $1 answered $code"
}

view_state () {
    sed -n 's/.*name="javax\.faces\.ViewState" value="\([^"]*\)".*/\1/p' "$1" | head -n 1
}

# get PATH OUT: GET into OUT; prints the status.
get () {
    c -o "$2" -w '%{http_code}' "$BASE$1"
}

# post PATH PAGE OUT FIELDS…: POST with PAGE's view state, following the
# 303; prints "STATUS FINAL-URL".
post () {
    local path=$1 page=$2 out=$3
    shift 3
    local args=(--data-urlencode "javax.faces.ViewState=$(view_state "$page")")
    local field
    for field in "$@"; do
        args+=(--data-urlencode "$field")
    done
    c -L -o "$out" -w '%{http_code} %{url_effective}' "${args[@]}" "$BASE$path"
}

new_client () {
    JAR="$WORK/$1.jar"
    rm -f "$JAR"
}

# open_login OUT: the login page, with a new session if there is none.
open_login () {
    [ "$(get /bp/meb.go "$1")" = 200 ] || fail "GET /bp/meb.go"
}

# login OUT TCKN AD SOYAD YER TARIH: logs in from the current login page.
login () {
    local out=$1
    shift
    post /bp/meb.go "$WORK/login.html" "$out" \
        "guvenlikKodu=$(sim_get captcha)" "tcKimlikNo=$1" "ad=$2" "soyad=$3" \
        "dogumYeri=$4" "dogumTarihi=$5" "girisButonu=Giriş"
}

# The form of someone without a previous application, filled validly.
VALID_FORM=(
    "basvuruNedeni=YENILEME" "kartOkuyucuTipi=MINI" "sertifikaSuresi=3"
    "guvenlikSozcugu=Zeytin2024" "calistigiBirim=Fizik Bölümü" "unvan=Öğretmen"
    "adres=Kazımdirik Mah. 372/1 Sk. No: 5" "postaKodu=35100" "il=35" "ilce=Bornova"
    "eposta=mehmet.ozturk@example.com.tr" "isTelefonu=0232 555 44 33" "dahili="
    "cepTelefonu=0533 222 33 44" "evTelefonu=" "mobilOperator=VODAFONE"
    "bilgiKanali=SMS" "formOnayla=Form Onayla"
)

# ============================================================================
# Simulator 1: test endpoints, short timings, an SMS log.
SMS_LOG="$WORK/sms.log"
start_sim main --tls-dir "$WORK/tls" --test-endpoints --slow-seconds 1 \
    --session-timeout "$SESSION_TIMEOUT" --sms-ttl-seconds "$SMS_TTL" \
    --sms-resend-seconds "$SMS_RESEND" --sms-max-attempts 3 --sms-log "$SMS_LOG"
MAIN_PID=$PID
pass "simulator listens on $BASE"

[ -f "$WORK/tls/ca.pem" ] && [ -f "$WORK/tls/server.pem" ] && [ -f "$WORK/tls/server.key" ] \
    || fail "TLS files not created in --tls-dir"
[ "$(stat -c %a "$WORK/tls/server.key")" = 600 ] || fail "server.key is not mode 0600"
CA_SUM=$(sha256sum < "$WORK/tls/ca.pem")
pass "TLS files created, server.key 0600"

# --- login page, captcha ---------------------------------------------------
new_client ayse
open_login "$WORK/login.html"
expect "$WORK/login.html" '<html lang="tr">' "login page"
expect "$WORK/login.html" '<title>Kamu SM Başvuru Portalı</title>' "login page"
expect "$WORK/login.html" '<form id="girisForm" method="post" action="/bp/meb.go">' "login page"
expect "$WORK/login.html" 'id="guvenlikResmi" src="/bp/captcha.go?r=' "login page"
[ -n "$(view_state "$WORK/login.html")" ] || fail "login page has no view state"
grep -q $'#HttpOnly_127.0.0.1\tFALSE\t/bp\tTRUE\t0\tJSESSIONID' "$JAR" \
    || fail "JSESSIONID cookie is not HttpOnly, Secure, Path=/bp"
pass "login page and JSESSIONID cookie"

CAPTCHA=$(sim_get captcha)
[[ $CAPTCHA =~ ^[ABCDEFGHJKLMNPRSTUVYZ2-9]{5}$ ]] || fail "captcha text “$CAPTCHA”"
TYPE=$(c -o "$WORK/captcha.png" -w '%{content_type}' "$BASE/bp/captcha.go")
[ "$TYPE" = image/png ] || fail "captcha content type $TYPE"
[ "$(head -c 8 "$WORK/captcha.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] \
    || fail "captcha is not a PNG"
[ "$(sim_get captcha)" = "$CAPTCHA" ] || fail "plain captcha GET changed the text"
c -o /dev/null "$BASE/bp/captcha.go?yenile=1"
[ "$(sim_get captcha)" != "$CAPTCHA" ] || fail "captcha.go?yenile=1 kept the text"
pass "captcha PNG, /_sim/captcha, yenile=1"

# --- login errors -------------------------------------------------------------
post /bp/meb.go "$WORK/login.html" "$WORK/out.html" "guvenlikKodu=11111" \
    "tcKimlikNo=10000000146" "ad=Ayşe Gül" "soyad=Yılmaz" "dogumYeri=Ankara" \
    "dogumTarihi=14.03.1985" >/dev/null
expect "$WORK/out.html" '<div class="hata-mesaji">Resimdeki yazıyı hatalı girdiniz.</div>' "wrong captcha"
expect "$WORK/out.html" 'name="ad" value="Ayşe Gül"' "wrong captcha keeps the values"
cp "$WORK/out.html" "$WORK/login.html"
pass "wrong captcha"

queue_faults wrong-captcha
login "$WORK/out.html" 10000000146 "Ayşe Gül" Yılmaz Ankara 14.03.1985 >/dev/null
expect "$WORK/out.html" 'Resimdeki yazıyı hatalı girdiniz.' "fault wrong-captcha"
cp "$WORK/out.html" "$WORK/login.html"
pass "fault wrong-captcha"

login "$WORK/out.html" 10000000146 "Ayşe Gül" Yılmaz Ankara 15.03.1985 >/dev/null
expect "$WORK/out.html" '<div class="hata-mesaji">Girdiğiniz kimlik bilgileri MERNİS kayıtlarıyla uyuşmamaktadır.</div>' "MERNİS mismatch"
cp "$WORK/out.html" "$WORK/login.html"
pass "MERNİS mismatch (birth date)"

queue_faults mernis-mismatch
login "$WORK/out.html" 10000000146 "Ayşe Gül" Yılmaz Ankara 14.03.1985 >/dev/null
expect "$WORK/out.html" 'MERNİS kayıtlarıyla uyuşmamaktadır.' "fault mernis-mismatch"
cp "$WORK/out.html" "$WORK/login.html"
pass "fault mernis-mismatch"

login "$WORK/out.html" 10000000147 "Ayşe Gül" Yılmaz Ankara 14.03.1985 >/dev/null
expect "$WORK/out.html" '<span class="alan-hatasi" data-alan="tcKimlikNo">' "T.C. Kimlik No check digit"
expect "$WORK/out.html" '<div class="hata-mesaji">Formda hatalı alanlar var.</div>' "login field error"
cp "$WORK/out.html" "$WORK/login.html"
pass "login field error from the app's validator"

# --- login, form ----------------------------------------------------------------
# Turkish upper-casing: “ayşe gül” = “AYŞE GÜL”, “ankara” = “ANKARA”, d.m.yyyy.
RESULT=$(c -o /dev/null -D "$WORK/headers" -w '%{http_code}' \
    --data-urlencode "javax.faces.ViewState=$(view_state "$WORK/login.html")" \
    --data-urlencode "guvenlikKodu=$(sim_get captcha | tr 'A-Z' 'a-z')" \
    --data-urlencode "tcKimlikNo=10000000146" --data-urlencode "ad=ayşe gül" \
    --data-urlencode "soyad=YILMAZ" --data-urlencode "dogumYeri=ankara" \
    --data-urlencode "dogumTarihi=14.3.1985" --data-urlencode "girisButonu=Giriş" \
    "$BASE/bp/meb.go")
[ "$RESULT" = 303 ] || fail "login answered $RESULT, not 303"
grep -qi '^Location: /bp/basvuru.go' "$WORK/headers" || fail "login did not redirect to /bp/basvuru.go"
pass "login: 303 to /bp/basvuru.go, names compared Turkish-upper-cased"

[ "$(get /bp/basvuru.go "$WORK/form.html")" = 200 ] || fail "GET /bp/basvuru.go"
expect "$WORK/form.html" '<form id="basvuruForm" method="post" action="/bp/basvuru.go">' "form page"
expect "$WORK/form.html" '<td id="tcKimlikNo">10000000146</td>' "form identity"
expect "$WORK/form.html" '<td id="kurumAdi">Çankaya Atatürk Anadolu Lisesi</td>' "form institution"
expect "$WORK/form.html" 'name="guvenlikSozcugu" value="Kelebek42"' "form pre-filled from the previous application"
expect "$WORK/form.html" '<option value="06" selected>Ankara</option>' "form province"
expect "$WORK/form.html" '<option value="Çankaya" selected>Çankaya</option>' "form district"
expect_not "$WORK/form.html" '<option value="Bornova">' "districts of Ankara only"
pass "form page pre-filled from the previous application"

# Everything as pre-filled, but a postal code of İzmir.
FORM_FIELDS=()
for name in basvuruNedeni kartOkuyucuTipi sertifikaSuresi guvenlikSozcugu calistigiBirim \
                        unvan adres il ilce eposta isTelefonu dahili cepTelefonu evTelefonu mobilOperator \
                        bilgiKanali; do
    value=$(sed -n "s/.*name=\"$name\"[^>]*value=\"\\([^\"]*\\)\".*/\\1/p" "$WORK/form.html" | head -n 1)
    case $name in
        basvuruNedeni|bilgiKanali)
            value=$(grep -o "name=\"$name\" value=\"[A-Z_]*\" checked" "$WORK/form.html" | sed 's/.*value="\([A-Z_]*\)".*/\1/') ;;
        kartOkuyucuTipi|sertifikaSuresi|il|ilce|mobilOperator)
            value=$(grep -o "<select name=\"$name\">.*" "$WORK/form.html" \
                | grep -o '<option value="[^"]*" selected>' | sed 's/<option value="\([^"]*\)".*/\1/') ;;
    esac
    FORM_FIELDS+=("$name=$value")
done
post /bp/basvuru.go "$WORK/form.html" "$WORK/out.html" "${FORM_FIELDS[@]}" "postaKodu=35040" \
    "formOnayla=Form Onayla" >/dev/null
expect "$WORK/out.html" '<div class="hata-mesaji">Formda hatalı alanlar var.</div>' "form field error"
expect "$WORK/out.html" '<span class="alan-hatasi" data-alan="postaKodu">' "form field error"
expect "$WORK/out.html" 'name="postaKodu" maxlength="5" value="35040"' "form keeps the posted value"
cp "$WORK/out.html" "$WORK/form.html"
pass "form: postal code of another province refused by the app's validator"

RESULT=$(post /bp/basvuru.go "$WORK/form.html" "$WORK/sms.html" "${FORM_FIELDS[@]}" \
    "postaKodu=06420" "formOnayla=Form Onayla")
[[ $RESULT == "200 $BASE/bp/sms.go" ]] || fail "valid form led to “$RESULT”"
expect "$WORK/sms.html" '<form id="smsForm" method="post" action="/bp/sms.go">' "SMS page"
expect "$WORK/sms.html" '<span id="cepTelefonuMaskeli">532 *** ** 33</span>' "SMS page"
expect "$WORK/sms.html" '<span id="kalanDeneme">3</span>' "SMS page"
pass "valid form: 303 to the SMS page"

# --- SMS ----------------------------------------------------------------------------
post /bp/sms.go "$WORK/sms.html" "$WORK/out.html" "smsKodu=123456" "tamam=Tamam" >/dev/null
expect "$WORK/out.html" 'SMS onay kodunun süresi doldu. Yeni kod isteyiniz.' "code before any was sent"
cp "$WORK/out.html" "$WORK/sms.html"
pass "code before any was sent counts as expired"

post /bp/sms.go "$WORK/sms.html" "$WORK/out.html" "gonder=Gönder" >/dev/null
expect "$WORK/out.html" '<div class="bilgi-mesaji">SMS onay kodu cep telefonunuza gönderildi.</div>' "SMS sent"
expect "$WORK/out.html" "<span id=\"tekrarGonderSaniye\">$SMS_RESEND</span>" "SMS resend countdown"
cp "$WORK/out.html" "$WORK/sms.html"
CODE=$(sim_get sms)
[[ $CODE =~ ^[0-9]{6}$ ]] || fail "SMS code “$CODE”"
grep -qE "^[0-9T:.+Z-]+ 5321112233 $CODE\$" "$SMS_LOG" || fail "SMS log lacks “PHONE $CODE”: $(cat "$SMS_LOG")"
pass "SMS sent, /_sim/sms and --sms-log agree"

post /bp/sms.go "$WORK/sms.html" "$WORK/out.html" "gonder=Gönder" >/dev/null
grep -qE '<div class="hata-mesaji">Yeni kod için [0-9]+ saniye bekleyiniz.</div>' "$WORK/out.html" \
    || fail "resend limit not enforced"
cp "$WORK/out.html" "$WORK/sms.html"
pass "resend limit"

WRONG=$(printf '%06d' $(( (10#$CODE + 1) % 1000000 )))
post /bp/sms.go "$WORK/sms.html" "$WORK/out.html" "smsKodu=$WRONG" "tamam=Tamam" >/dev/null
expect "$WORK/out.html" '<div class="hata-mesaji">SMS onay kodu hatalı. Kalan deneme hakkınız: 2.</div>' "wrong SMS code"
expect "$WORK/out.html" '<span id="kalanDeneme">2</span>' "wrong SMS code"
cp "$WORK/out.html" "$WORK/sms.html"
pass "wrong SMS code"

sleep $((SMS_TTL + 1))
post /bp/sms.go "$WORK/sms.html" "$WORK/out.html" "smsKodu=$CODE" "tamam=Tamam" >/dev/null
expect "$WORK/out.html" 'SMS onay kodunun süresi doldu. Yeni kod isteyiniz.' "SMS code TTL"
cp "$WORK/out.html" "$WORK/sms.html"
pass "SMS code expires after --sms-ttl-seconds"

post /bp/sms.go "$WORK/sms.html" "$WORK/out.html" "gonder=Gönder" >/dev/null
cp "$WORK/out.html" "$WORK/sms.html"
queue_faults sms-expired
post /bp/sms.go "$WORK/sms.html" "$WORK/out.html" "smsKodu=$(sim_get sms)" "tamam=Tamam" >/dev/null
expect "$WORK/out.html" 'SMS onay kodunun süresi doldu. Yeni kod isteyiniz.' "fault sms-expired"
cp "$WORK/out.html" "$WORK/sms.html"
pass "fault sms-expired"

sleep "$SMS_RESEND"
post /bp/sms.go "$WORK/sms.html" "$WORK/out.html" "gonder=Gönder" >/dev/null
cp "$WORK/out.html" "$WORK/sms.html"
RESULT=$(post /bp/sms.go "$WORK/sms.html" "$WORK/method.html" "smsKodu=$(sim_get sms)" "tamam=Tamam")
[[ $RESULT == "200 $BASE/bp/yontem.go" ]] || fail "right SMS code led to “$RESULT”"
expect "$WORK/method.html" '<form id="yontemForm" method="post" action="/bp/yontem.go">' "method page"
expect "$WORK/method.html" '<input type="submit" name="eonayliBasvuru" value="E-Onaylı Başvuru">' "e-onay enabled"
pass "right SMS code: 303 to the signing-method page"

# --- signing method, result ---------------------------------------------------------
post /bp/yontem.go "$WORK/method.html" "$WORK/out.html" "eimzaliBasvuru=E-İmzalı Başvuru" >/dev/null
expect "$WORK/out.html" '<div class="hata-mesaji">E-imzalı başvuru şu anda alınamıyor: imza doğrulama hizmetine ulaşılamıyor.</div>' "e-signed application"
expect "$WORK/out.html" '<form id="yontemForm"' "e-signed application"
cp "$WORK/out.html" "$WORK/method.html"
pass "e-signed application without --nes-client-ca: refused on the method page"

RESULT=$(post /bp/yontem.go "$WORK/method.html" "$WORK/result.html" "eonayliBasvuru=E-Onaylı Başvuru")
[[ $RESULT == "200 $BASE/bp/sonuc.go" ]] || fail "e-onay application led to “$RESULT”"
expect "$WORK/result.html" '<div id="basvuruSonuc">' "result page"
FIRST_NO=$(sed -n 's/.*<span id="basvuruNo">\([^<]*\)<\/span>.*/\1/p' "$WORK/result.html")
[[ $FIRST_NO =~ ^[0-9]{4}-[0-9]{6}$ ]] || fail "application number “$FIRST_NO”"
pass "e-onay application: number $FIRST_NO"

# --- a person without e-onay, nor previous application; attempts count ---------------------
new_client mehmet
open_login "$WORK/login.html"
login "$WORK/form.html" 10000000214 "Mehmet Çağrı" Öztürk İzmir 02.11.1978 >/dev/null
expect "$WORK/form.html" '<td id="kurumAdi">Bornova Anadolu Lisesi</td>' "second person"
expect "$WORK/form.html" 'name="guvenlikSozcugu" value=""' "no previous application"
RESULT=$(post /bp/basvuru.go "$WORK/form.html" "$WORK/sms.html" "${VALID_FORM[@]}")
[[ $RESULT == "200 $BASE/bp/sms.go" ]] || fail "second person's form led to “$RESULT”"
post /bp/sms.go "$WORK/sms.html" "$WORK/out.html" "gonder=Gönder" >/dev/null
cp "$WORK/out.html" "$WORK/sms.html"
CODE=$(sim_get sms)
WRONG=$(printf '%06d' $(( (10#$CODE + 1) % 1000000 )))
for left in 2 1; do
    post /bp/sms.go "$WORK/sms.html" "$WORK/out.html" "smsKodu=$WRONG" "tamam=Tamam" >/dev/null
    expect "$WORK/out.html" "Kalan deneme hakkınız: $left." "wrong code $left"
    cp "$WORK/out.html" "$WORK/sms.html"
done
post /bp/sms.go "$WORK/sms.html" "$WORK/method.html" "smsKodu=$CODE" "tamam=Tamam" >/dev/null
expect "$WORK/method.html" 'name="eonayliBasvuru" value="E-Onaylı Başvuru" disabled="disabled"' "e-onay disabled"
post /bp/yontem.go "$WORK/method.html" "$WORK/out.html" "eonayliBasvuru=E-Onaylı Başvuru" >/dev/null
expect "$WORK/out.html" '<div class="hata-mesaji">Aktif e-onayınız bulunmamaktadır.</div>' "no e-onay"
pass "no e-onay: button disabled, posting it refused; two wrong codes do not lock"

# --- SMS lock -----------------------------------------------------------------------------
new_client isil
open_login "$WORK/login.html"
login "$WORK/form.html" 10000000382 Işıl Şahin Muğla 29.02.1992 >/dev/null
RESULT=$(post /bp/basvuru.go "$WORK/form.html" "$WORK/sms.html" "${VALID_FORM[@]}")
[[ $RESULT == "200 $BASE/bp/sms.go" ]] || fail "third person's form led to “$RESULT”"
post /bp/sms.go "$WORK/sms.html" "$WORK/out.html" "gonder=Gönder" >/dev/null
cp "$WORK/out.html" "$WORK/sms.html"
LOCKED_ID=$(session_id)
for _ in 1 2 3; do
    post /bp/sms.go "$WORK/sms.html" "$WORK/out.html" "smsKodu=000000x" "tamam=Tamam" >/dev/null
    cp "$WORK/out.html" "$WORK/sms.html"
done
expect "$WORK/out.html" '<div class="hata-mesaji">Çok fazla hatalı deneme yaptınız. Başvurunuz için yeniden giriş yapınız.</div>' "SMS lock"
expect "$WORK/out.html" '<form id="girisForm"' "SMS lock shows the login page"
[ "$(session_id)" != "$LOCKED_ID" ] || fail "SMS lock did not end the session"
pass "third wrong SMS code locks and ends the session"

cp "$WORK/out.html" "$WORK/login.html"
login "$WORK/form.html" 10000000382 Işıl Şahin Muğla 29.02.1992 >/dev/null
post /bp/basvuru.go "$WORK/form.html" "$WORK/sms.html" "${VALID_FORM[@]}" >/dev/null
queue_faults sms-locked
post /bp/sms.go "$WORK/sms.html" "$WORK/out.html" "smsKodu=123456" "tamam=Tamam" >/dev/null
expect "$WORK/out.html" 'Çok fazla hatalı deneme yaptınız.' "fault sms-locked"
pass "fault sms-locked"

# --- session expiry -----------------------------------------------------------------------
new_client expiry
RESULT=$(get /bp/basvuru.go "$WORK/out.html")
[ "$RESULT" = 200 ] || fail "GET without a session answered $RESULT"
expect "$WORK/out.html" '<div class="hata-mesaji">Oturumunuzun süresi doldu. Lütfen yeniden giriş yapın.</div>' "no session"
expect "$WORK/out.html" '<form id="girisForm"' "no session"
pass "request without a session: 200 login page, session expired"

open_login "$WORK/login.html"
login "$WORK/form.html" 10000000450 "İsmail Hakkı" Güneş Diyarbakır 07.07.1969 >/dev/null
expect "$WORK/form.html" '<td id="kurumAdi">Kadıköy Göztepe Ortaokulu</td>' "fourth person"
post /bp/basvuru.go "$WORK/login.html" "$WORK/out.html" "${VALID_FORM[@]}" >/dev/null
expect "$WORK/out.html" 'Oturumunuzun süresi doldu.' "stale view state"
pass "POST with a stale view state: session expired"

open_login "$WORK/login.html"
login "$WORK/form.html" 10000000450 "İsmail Hakkı" Güneş Diyarbakır 07.07.1969 >/dev/null
sleep $((SESSION_TIMEOUT + 1))
post /bp/basvuru.go "$WORK/form.html" "$WORK/out.html" "${VALID_FORM[@]}" >/dev/null
expect "$WORK/out.html" 'Oturumunuzun süresi doldu.' "idle session"
pass "session expires after --session-timeout"

open_login "$WORK/login.html"
login "$WORK/form.html" 10000000450 "İsmail Hakkı" Güneş Diyarbakır 07.07.1969 >/dev/null
queue_faults expire-session
post /bp/basvuru.go "$WORK/form.html" "$WORK/out.html" "${VALID_FORM[@]}" >/dev/null
expect "$WORK/out.html" 'Oturumunuzun süresi doldu.' "fault expire-session"
pass "fault expire-session"

# --- faults on the wire ---------------------------------------------------------------------
new_client faults
open_login "$WORK/login.html"

queue_faults http-503
[ "$(get /bp/meb.go "$WORK/out.html")" = 503 ] || fail "fault http-503"
[ "$(get /bp/meb.go "$WORK/out.html")" = 200 ] || fail "request after http-503"
queue_faults http-500
[ "$(get /bp/meb.go "$WORK/out.html")" = 500 ] || fail "fault http-500"
pass "faults http-503 and http-500, one request each"

queue_faults reset
STATUS=0
c -o "$WORK/out.html" "$BASE/bp/meb.go" 2>/dev/null || STATUS=$?
[ "$STATUS" -ne 0 ] || fail "fault reset: curl succeeded"
pass "fault reset: curl fails (exit $STATUS)"

queue_faults truncated
[ "$(get /bp/meb.go "$WORK/out.html")" = 200 ] || fail "fault truncated status"
expect "$WORK/out.html" '<title>Kamu SM Başvuru Portalı</title>' "fault truncated"
expect_not "$WORK/out.html" '</html>' "fault truncated"
pass "fault truncated: complete response, half a page"

queue_faults malformed
get /bp/meb.go "$WORK/out.html" >/dev/null
expect "$WORK/out.html" 'id="girisForm"' "fault malformed"
expect_not "$WORK/out.html" '</form>' "fault malformed"
LC_ALL=C grep -qaP '\xff\xfe' "$WORK/out.html" || fail "fault malformed: no junk bytes"
pass "fault malformed"

queue_faults redesigned
get /bp/meb.go "$WORK/out.html" >/dev/null
expect_not "$WORK/out.html" 'id="icerik"' "fault redesigned"
expect_not "$WORK/out.html" 'javax.faces.ViewState' "fault redesigned"
pass "fault redesigned"

queue_faults slow
START=$(date +%s%N)
[ "$(get /bp/meb.go "$WORK/out.html")" = 200 ] || fail "fault slow status"
ELAPSED_MS=$(( ($(date +%s%N) - START) / 1000000 ))
[ "$ELAPSED_MS" -ge 900 ] || fail "fault slow answered after $ELAPSED_MS ms"
pass "fault slow: answered after $ELAPSED_MS ms"

# Another client is served while one is held back.
queue_faults slow
c -o "$WORK/slow.html" "$BASE/bp/meb.go" &
SLOW_CURL=$!
sleep 0.2
START=$(date +%s%N)
JAR="$WORK/other.jar" c -o /dev/null "$BASE/bp/meb.go"
ELAPSED_MS=$(( ($(date +%s%N) - START) / 1000000 ))
wait "$SLOW_CURL"
[ "$ELAPSED_MS" -lt 700 ] || fail "a slow request blocked another for $ELAPSED_MS ms"
pass "slow fault does not block other requests"

RESULT=$("$CURL" -sS --cacert "$CA" -o /dev/null -w '%{http_code}' --data-binary reset "$BASE/_sim/faults")
[ "$RESULT" = 403 ] || fail "/_sim/faults without a session answered $RESULT"
RESULT=$("$CURL" -sS --cacert "$CA" -H "Cookie: JSESSIONID=$(session_id)" -o /dev/null \
    -w '%{http_code}' --data-binary nonsense "$BASE/_sim/faults")
[ "$RESULT" = 400 ] || fail "unknown fault answered $RESULT"
pass "/_sim/faults: 403 without a session, 400 for an unknown mode"

stop_sim "$MAIN_PID"
pass "SIGTERM ends the simulator cleanly"

# ============================================================================
# Simulator 2: the same TLS dir, faults for the whole run, no test endpoints.
start_sim runfaults --tls-dir "$WORK/tls" --fault slow --fault reset --slow-seconds 1
[ "$(sha256sum < "$WORK/tls/ca.pem")" = "$CA_SUM" ] || fail "existing TLS files were not reused"
pass "existing --tls-dir reused"

new_client run
RESULT=$(c -o /dev/null -w '%{http_code}' "$BASE/_sim/captcha")
[ "$RESULT" = 404 ] || fail "/_sim/captcha without --test-endpoints answered $RESULT"
START=$(date +%s%N)
STATUS=0
c -o /dev/null "$BASE/bp/meb.go" 2>/dev/null || STATUS=$?
ELAPSED_MS=$(( ($(date +%s%N) - START) / 1000000 ))
[ "$STATUS" -ne 0 ] && [ "$ELAPSED_MS" -ge 900 ] \
    || fail "--fault slow --fault reset: curl exit $STATUS after $ELAPSED_MS ms"
pass "run faults slow+reset; no test endpoints without --test-endpoints"
stop_sim "$PID"

# ============================================================================
# Simulator 3: no --tls-dir, a temporary one that goes at exit.
start_sim tempdir --fault http-503
TEMP_DIR=$(dirname "$CA")
[ -f "$TEMP_DIR/server.key" ] || fail "temporary TLS dir $TEMP_DIR is empty"
RESULT=$("$CURL" -sS --cacert "$CA" -o /dev/null -w '%{http_code}' "$BASE/bp/meb.go")
[ "$RESULT" = 503 ] || fail "--fault http-503 answered $RESULT"
stop_sim "$PID"
[ ! -e "$TEMP_DIR" ] || fail "temporary TLS dir $TEMP_DIR left behind"
pass "temporary TLS dir removed at exit"

# ============================================================================
# Simulator 4: the NES site (docs/eonay-protocol.md) on a second listener,
# with client certificates of a CA made here by openssl. Skipped without it.
OPENSSL=${OPENSSL-$(command -v openssl || true)}
if [ -z "$OPENSSL" ]; then
    echo "# NES site skipped: openssl not found"
else
    PKI="$WORK/pki"
    mkdir -p "$PKI"
    # make_client NAME CN SERIAL: a key and a certificate of the client CA.
    make_client () {
        "$OPENSSL" req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -keyout "$PKI/$1.key" -out "$PKI/$1.csr" \
            -subj "/C=TR/CN=$2/serialNumber=$3" 2>/dev/null
        printf '%s\n' "keyUsage=critical,digitalSignature,nonRepudiation" \
            "extendedKeyUsage=clientAuth,emailProtection" > "$PKI/$1.ext"
        "$OPENSSL" x509 -req -in "$PKI/$1.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" \
            -CAcreateserial -days 2 -extfile "$PKI/$1.ext" -out "$PKI/$1.pem" 2>/dev/null
    }
    "$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
        -keyout "$PKI/ca.key" -out "$PKI/ca.pem" -subj "/CN=Smoke Test NES CA" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    make_client mehmet "MEHMET CAGRI OZTURK" 10000000214
    make_client ismail "ISMAIL HAKKI GUNES" 10000000450
    # A certificate of another CA: refused in the handshake.
    "$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
        -keyout "$PKI/stranger.key" -out "$PKI/stranger.pem" \
        -subj "/C=TR/CN=STRANGER/serialNumber=10000000214" 2>/dev/null

    start_sim nes --tls-dir "$WORK/tls" --test-endpoints --nes-client-ca "$PKI/ca.pem" \
        --sign-deadline-seconds 3 --sign-clock-skew-seconds 5
    NES_PID=$PID
    for _ in $(seq 50); do
        NES=$(sed -n 's/^listening-nes \(https:\/\/127\.0\.0\.1:[0-9]*\)\/$/\1/p' "$WORK/sim-nes.out")
        [ -n "$NES" ] && break
        sleep 0.1
    done
    [ -n "$NES" ] || fail "no listening-nes line: $(cat "$WORK/sim-nes.out")"
    pass "--nes-client-ca: second line “listening-nes $NES/”"

    WHO=mehmet
    # n ARGS…: curl on the NES listener as $WHO, with its own cookie jar.
    n () {
        "$CURL" -sS --cacert "$CA" --cert "$PKI/$WHO.pem" --key "$PKI/$WHO.key" \
            -b "$WORK/nes-$WHO.jar" -c "$WORK/nes-$WHO.jar" "$@"
    }
    nes_session_id () {
        awk -F'\t' '$6 == "JSESSIONID" { print $7 }' "$WORK/nes-$WHO.jar"
    }
    nes_sim () {
        "$CURL" -sS --cacert "$CA" --cert "$PKI/$WHO.pem" --key "$PKI/$WHO.key" \
            -H "Cookie: JSESSIONID=$(nes_session_id)" "$@"
    }
    # nes_post PATH PAGE OUT FIELDS…: POST with PAGE's view state, following
    # the 303; prints "STATUS FINAL-URL".
    nes_post () {
        local path=$1 page=$2 out=$3
        shift 3
        local args=(--data-urlencode "javax.faces.ViewState=$(view_state "$page")")
        local field
        for field in "$@"; do
            args+=(--data-urlencode "$field")
        done
        n -L -o "$out" -w '%{http_code} %{url_effective}' "${args[@]}" "$NES$path"
    }
    page_code () {
        sed -n 's/.*<span id="dogrulamaKodu">\([^<]*\)<.*/\1/p' "$1"
    }
    # sign CODE WHO: fetches the data of CODE and signs it with WHO's key
    # (detached CAdES-BES) into sig.der.
    sign () {
        n -o "$WORK/data.bin" -D "$WORK/data.hdr" "$NES/nb/imza/veri?kod=$1" || fail "GET veri"
        "$OPENSSL" cms -sign -binary -cades -md sha256 -in "$WORK/data.bin" \
            -signer "$PKI/$2.pem" -inkey "$PKI/$2.key" \
            -outform DER -out "$WORK/sig.der" 2>/dev/null || fail "openssl cms -sign"
    }
    # upload CODE: uploads sig.der; prints the status.
    upload () {
        n -o "$WORK/upload.txt" -w '%{http_code}' \
            -H "Content-Type: application/pkcs7-signature" \
            --data-binary "@$WORK/sig.der" "$NES/nb/imza/yukle?kod=$1"
    }
    sign_and_upload () {
        sign "$1" "$2"
        upload "$1"
    }

    STATUS=0
    "$CURL" -sS --cacert "$CA" -o /dev/null "$NES/nb/nbimzali.go" 2>/dev/null || STATUS=$?
    [ "$STATUS" -ne 0 ] || fail "NES listener answered without a client certificate"
    STATUS=0
    "$CURL" -sS --cacert "$CA" --cert "$PKI/stranger.pem" --key "$PKI/stranger.key" \
        -o /dev/null "$NES/nb/nbimzali.go" 2>/dev/null || STATUS=$?
    [ "$STATUS" -ne 0 ] || fail "NES listener accepted a certificate of another CA"
    pass "NES: no client certificate, or one of another CA: the handshake fails"

    [ "$(n -o "$WORK/nes.html" -w '%{http_code}' "$NES/nb/nbimzali.go")" = 200 ] \
        || fail "GET /nb/nbimzali.go"
    expect "$WORK/nes.html" '<title>Kamu SM NES Bireysel İşlemler</title>' "NES login"
    expect "$WORK/nes.html" '<span id="sertifikaSahibi">MEHMET CAGRI OZTURK</span>' "NES login"
    nes_post /nb/nbimzali.go "$WORK/nes.html" "$WORK/out.html" "tcKimlikNo=10000000450" \
        "girisButonu=GİRİŞ" >/dev/null
    expect "$WORK/out.html" 'e-imza sertifikanızdaki bilgiyle uyuşmamaktadır.' "NES T.C. Kimlik No"
    cp "$WORK/out.html" "$WORK/nes.html"
    RESULT=$(nes_post /nb/nbimzali.go "$WORK/nes.html" "$WORK/code.html" \
        "tcKimlikNo=10000000214" "girisButonu=GİRİŞ")
    [[ $RESULT == "200 $NES/nb/dogrulama.go" ]] || fail "NES login led to “$RESULT”"
    expect "$WORK/code.html" 'data-islem="giris"' "NES code page"
    expect "$WORK/code.html" '<span id="imzaSuresi">3</span>' "NES code page"
    CODE=$(page_code "$WORK/code.html")
    [[ $CODE =~ ^[A-Z2-9]{4}-[A-Z2-9]{4}$ ]] || fail "NES code “$CODE”"
    pass "NES: T.C. Kimlik No checked against the certificate; code $CODE shown"

    [ "$(sign_and_upload "$CODE" ismail)" = 403 ] || fail "another person's signature"
    expect "$WORK/upload.txt" 'oturum açan kişiye ait olmayan' "another person's signature"
    grep -q '^X-Imza-Islem: giris' "$WORK/data.hdr" || fail "no X-Imza-Islem header"
    grep -q '^X-Imza-Son-Zaman: ' "$WORK/data.hdr" || fail "no X-Imza-Son-Zaman header"
    "$OPENSSL" cms -sign -binary -cades -md sha256 -in "$WORK/tls/ca.pem" \
        -signer "$PKI/mehmet.pem" -inkey "$PKI/mehmet.key" -outform DER \
        -out "$WORK/other.der" 2>/dev/null
    RESULT=$(n -o "$WORK/upload.txt" -w '%{http_code}' --data-binary "@$WORK/other.der" \
        "$NES/nb/imza/yukle?kod=$CODE")
    [ "$RESULT" = 422 ] || fail "signature over other data answered $RESULT"
    [ "$(sign_and_upload "${CODE,,}" mehmet)" = 200 ] || fail "upload: $(cat "$WORK/upload.txt")"
    RESULT=$(n -o "$WORK/upload.txt" -w '%{http_code}' --data-binary "@$WORK/sig.der" \
        "$NES/nb/imza/yukle?kod=$CODE")
    [ "$RESULT" = 409 ] || fail "replayed upload answered $RESULT"
    pass "NES: another person's and another content's signatures refused, own accepted, replay refused"

    RESULT=$(n -L -o "$WORK/menu.html" -w '%{http_code} %{url_effective}' "$NES/nb/dogrulama.go")
    [[ $RESULT == "200 $NES/nb/islemler.go" ]] || fail "code page after upload led to “$RESULT”"
    expect "$WORK/menu.html" '<a id="eonayIslemleri" href="/nb/eonay.go">E-ONAY İŞLEMLERİ</a>' "menu"
    n -o "$WORK/eonay.html" "$NES/nb/eonay.go"
    expect "$WORK/eonay.html" 'data-durum="pasif"' "e-onay page"
    expect "$WORK/eonay.html" '<div id="taahhutMetni">' "e-onay page"
    nes_post /nb/eonay.go "$WORK/eonay.html" "$WORK/out.html" "devamEt=DEVAM ET" >/dev/null
    expect "$WORK/out.html" 'taahhütnameyi onaylamanız gerekmektedir' "consent"
    cp "$WORK/out.html" "$WORK/eonay.html"
    RESULT=$(nes_post /nb/eonay.go "$WORK/eonay.html" "$WORK/code.html" "onayKutusu=EVET" \
        "devamEt=DEVAM ET")
    [[ $RESULT == "200 $NES/nb/dogrulama.go" ]] || fail "DEVAM ET led to “$RESULT”"
    expect "$WORK/code.html" 'data-islem="eonay"' "second code"
    CODE=$(page_code "$WORK/code.html")
    sleep 4
    [ "$(sign_and_upload "$CODE" mehmet)" = 410 ] || fail "late upload: $(cat "$WORK/upload.txt")"
    n -o "$WORK/out.html" "$NES/nb/dogrulama.go"
    expect "$WORK/out.html" 'Doğrulama kodunun süresi doldu.' "expired code page"
    pass "NES: consent required; an upload after --sign-deadline-seconds is refused"

    n -o "$WORK/eonay.html" "$NES/nb/eonay.go"
    nes_post /nb/eonay.go "$WORK/eonay.html" "$WORK/code.html" "onayKutusu=EVET" \
        "devamEt=DEVAM ET" >/dev/null
    CODE=$(page_code "$WORK/code.html")
    [ "$(sign_and_upload "$CODE" mehmet)" = 200 ] || fail "e-onay upload: $(cat "$WORK/upload.txt")"
    head -n 1 "$WORK/data.bin" | grep -q 'E-ONAY TAAHHÜTNAMESİ' || fail "e-onay document"
    RESULT=$(n -L -o "$WORK/eonay.html" -w '%{http_code} %{url_effective}' "$NES/nb/dogrulama.go")
    [[ $RESULT == "200 $NES/nb/eonay.go" ]] || fail "code page after e-onay led to “$RESULT”"
    expect "$WORK/eonay.html" 'data-durum="aktif"' "e-onay active"
    nes_sim "$NES/_sim/nes" | grep -q '^eonay=aktif$' || fail "/_sim/nes"
    pass "NES: e-onay given with the second code"

    # The application portal of the same run sees it.
    new_client nesportal
    open_login "$WORK/login.html"
    login "$WORK/form.html" 10000000214 "Mehmet Çağrı" Öztürk İzmir 02.11.1978 >/dev/null
    post /bp/basvuru.go "$WORK/form.html" "$WORK/sms.html" "${VALID_FORM[@]}" >/dev/null
    post /bp/sms.go "$WORK/sms.html" "$WORK/out.html" "gonder=Gönder" >/dev/null
    cp "$WORK/out.html" "$WORK/sms.html"
    RESULT=$(post /bp/sms.go "$WORK/sms.html" "$WORK/method.html" "smsKodu=$(sim_get sms)" \
        "tamam=Tamam")
    [[ $RESULT == "200 $BASE/bp/yontem.go" ]] || fail "portal SMS led to “$RESULT”"
    expect_not "$WORK/method.html" 'value="E-Onaylı Başvuru" disabled' "e-onay from the NES site"
    RESULT=$(post /bp/yontem.go "$WORK/method.html" "$WORK/out.html" \
        "eonayliBasvuru=E-Onaylı Başvuru")
    [[ $RESULT == "200 $BASE/bp/sonuc.go" ]] || fail "E-Onaylı Başvuru led to “$RESULT”"
    pass "portal: E-Onaylı Başvuru with the e-onay given on the NES site"

    # The e-signed application on the portal, signed with openssl as
    # İsmail (certificate of the --nes-client-ca CA).
    new_client esigned
    open_login "$WORK/login.html"
    login "$WORK/form.html" 10000000450 "İsmail Hakkı" Güneş Diyarbakır 07.07.1969 >/dev/null
    post /bp/basvuru.go "$WORK/form.html" "$WORK/sms.html" "${VALID_FORM[@]}" >/dev/null
    post /bp/sms.go "$WORK/sms.html" "$WORK/out.html" "gonder=Gönder" >/dev/null
    cp "$WORK/out.html" "$WORK/sms.html"
    post /bp/sms.go "$WORK/sms.html" "$WORK/method.html" "smsKodu=$(sim_get sms)" \
        "tamam=Tamam" >/dev/null
    RESULT=$(post /bp/yontem.go "$WORK/method.html" "$WORK/esigned.html" \
        "eimzaliBasvuru=E-İmzalı Başvuru")
    [[ $RESULT == "200 $BASE/bp/eimzali.go" ]] || fail "E-İmzalı Başvuru led to “$RESULT”"
    expect "$WORK/esigned.html" '<tr><th>T.C. Kimlik No</th><td>10000000450</td></tr>' "e-signed page"
    expect "$WORK/esigned.html" '<tr><th>İl</th><td>İzmir</td></tr>' "e-signed page"
    expect "$WORK/esigned.html" '<div id="taahhutname"><p>Bu başvuru formunda' "e-signed page"
    expect "$WORK/esigned.html" '<span id="imzaSuresi">3</span>' "e-signed page"
    expect_not "$WORK/esigned.html" 'Zeytin2024' "the security word is not shown"
    DATA_URL=$(sed -n 's/.*data-veri="\([^"]*\)".*/\1/p' "$WORK/esigned.html")
    UPLOAD_URL=$(sed -n 's/.*data-gonder="\([^"]*\)".*/\1/p' "$WORK/esigned.html")
    [[ $DATA_URL =~ ^/bp/eimzaliveri\.go\?kod=[A-Z2-9]{8}$ ]] || fail "data address “$DATA_URL”"
    [[ $UPLOAD_URL =~ ^/bp/eimzaligonder\.go\?kod=[A-Z2-9]{8}$ ]] || fail "upload address “$UPLOAD_URL”"
    c -o "$WORK/data.bin" -D "$WORK/data.hdr" "$BASE$DATA_URL" || fail "GET $DATA_URL"
    grep -q '^X-Imza-Islem: basvuru' "$WORK/data.hdr" || fail "no X-Imza-Islem: basvuru"
    grep -q 'T.C. Kimlik No: 10000000450' "$WORK/data.bin" || fail "the document lacks the summary"
    portal_upload () {
        c -o "$WORK/upload.txt" -w '%{http_code}' -H "Content-Type: application/pkcs7-signature" \
            --data-binary "@$WORK/sig.der" "$@"
    }
    "$OPENSSL" cms -sign -binary -cades -md sha256 -in "$WORK/data.bin" \
        -signer "$PKI/mehmet.pem" -inkey "$PKI/mehmet.key" -outform DER -out "$WORK/sig.der" \
        2>/dev/null
    [ "$(portal_upload "$BASE$UPLOAD_URL")" = 403 ] || fail "another person's signature"
    "$OPENSSL" cms -sign -binary -cades -md sha256 -in "$WORK/data.bin" \
        -signer "$PKI/ismail.pem" -inkey "$PKI/ismail.key" -outform DER -out "$WORK/sig.der" \
        2>/dev/null
    RESULT=$(c -L -o "$WORK/result.html" -w '%{http_code} %{url_effective}' \
        -H "Content-Type: application/pkcs7-signature" --data-binary "@$WORK/sig.der" \
        "$BASE$UPLOAD_URL")
    [[ $RESULT == "200 $BASE/bp/sonuc.go" ]] || fail "signed upload led to “$RESULT”"
    grep -qE '<span id="basvuruNo">[0-9]{4}-[0-9]{6}</span>' "$WORK/result.html" \
        || fail "no application number after the signature"
    [ "$(portal_upload "$BASE$UPLOAD_URL")" = 409 ] || fail "replayed signature"
    pass "portal: E-İmzalı Başvuru signed, another person's and a replayed signature refused"

    RESULT=$(nes_post /nb/eonay.go "$WORK/eonay.html" "$WORK/out.html" "iptalEt=İptal")
    [[ $RESULT == "200 $NES/nb/eonay.go" ]] || fail "İptal led to “$RESULT”"
    expect "$WORK/out.html" 'E-onayınız iptal edilmiştir.' "cancel"
    expect "$WORK/out.html" 'data-durum="pasif"' "cancel"
    pass "NES: e-onay cancelled"

    # Faults queued on the NES session.
    cp "$WORK/out.html" "$WORK/eonay.html"
    nes_post /nb/eonay.go "$WORK/eonay.html" "$WORK/code.html" "onayKutusu=EVET" \
        "devamEt=DEVAM ET" >/dev/null
    CODE=$(page_code "$WORK/code.html")
    sign "$CODE" mehmet
    RESULT=$(nes_sim -o /dev/null -w '%{http_code}' --data-binary \
        'content-mismatch,signer-mismatch,signature-replayed,http-503' "$NES/_sim/faults")
    [ "$RESULT" = 200 ] || fail "POST /_sim/faults on the NES listener answered $RESULT"
    [ "$(upload "$CODE")" = 422 ] || fail "content-mismatch fault"
    [ "$(upload "$CODE")" = 403 ] || fail "signer-mismatch fault"
    [ "$(upload "$CODE")" = 409 ] || fail "signature-replayed fault"
    [ "$(n -o /dev/null -w '%{http_code}' "$NES/nb/imza/veri?kod=$CODE")" = 503 ] \
        || fail "http-503 fault"
    [ "$(upload "$CODE")" = 200 ] || fail "upload after the faults: $(cat "$WORK/upload.txt")"
    pass "NES: faults signer-mismatch, content-mismatch, signature-replayed, http-503"

    n -o "$WORK/nes.jnlp" -w '%{content_type}' "$NES/nb/imza/nesimza.jnlp" \
        | grep -q '^application/x-java-jnlp-file' || fail "jnlp content type"
    expect "$WORK/nes.jnlp" "codebase=\"$NES/nb/imza/\"" "jnlp"
    pass "NES: the signer's .jnlp names this listener as its codebase"
    stop_sim "$NES_PID"

    # Şifreli Giriş and Kilit Çözme (docs/unblock-protocol.md): a listener
    # of its own, without client certificates.
    start_sim sifreli --tls-dir "$WORK/tls" --test-endpoints --nes-client-ca "$PKI/ca.pem" \
        --sifreli-giris --security-word-tries 2 --captcha-log "$WORK/sifreli-captcha.txt" \
        --sms-log "$WORK/sifreli-sms.log"
    SIFRELI_PID=$PID
    for _ in $(seq 50); do
        SIFRELI=$(sed -n 's/^listening-nes-sifreli \(https:\/\/127\.0\.0\.1:[0-9]*\)\/$/\1/p' \
            "$WORK/sim-sifreli.out")
        [ -n "$SIFRELI" ] && break
        sleep 0.1
    done
    [ -n "$SIFRELI" ] || fail "no listening-nes-sifreli line: $(cat "$WORK/sim-sifreli.out")"
    # s ARGS…: curl on the Şifreli Giriş listener, no certificate, own jar.
    s () {
        "$CURL" -sS --cacert "$CA" -b "$WORK/sifreli.jar" -c "$WORK/sifreli.jar" "$@"
    }
    # s_post PATH PAGE OUT FIELDS…: as nes_post.
    s_post () {
        local path=$1 page=$2 out=$3
        shift 3
        local args=(--data-urlencode "javax.faces.ViewState=$(view_state "$page")")
        local field
        for field in "$@"; do
            args+=(--data-urlencode "$field")
        done
        s -L -o "$out" -w '%{http_code} %{url_effective}' "${args[@]}" "$SIFRELI$path"
    }
    [ "$(s -o "$WORK/s1.html" -w '%{http_code}' "$SIFRELI/nb/nb.go")" = 200 ] \
        || fail "GET /nb/nb.go without a certificate"
    expect "$WORK/s1.html" '<form id="sifreliGirisForm" method="post" action="/nb/nb.go">' "Şifreli Giriş"
    expect "$WORK/s1.html" 'name="guvenlikSozcugu" value=""' "Şifreli Giriş"
    s -o "$WORK/s.png" "$SIFRELI/nb/sifreliResim.go?t=1"
    [ "$(head -c 4 "$WORK/s.png" | od -An -c | tr -d ' ')" = '211PNG' ] || fail "captcha not a PNG"
    pass "Şifreli Giriş: form and captcha without a client certificate"

    s_post /nb/nb.go "$WORK/s1.html" "$WORK/s2.html" "tcKimlikNo=10000000146" \
        "guvenlikSozcugu=Tirtil" "guvenlikKodu=$(cat "$WORK/sifreli-captcha.txt")" \
        "sifreliGirisButonu=GİRİŞ" >/dev/null
    expect "$WORK/s2.html" 'güvenlik sözcüğü hatalı. Kalan deneme hakkınız: 1.' "wrong security word"
    expect "$WORK/s2.html" 'value="10000000146"' "the number stays"
    s_post /nb/nb.go "$WORK/s2.html" "$WORK/s3.html" "tcKimlikNo=10000000146" \
        "guvenlikSozcugu=Kelebek42" "guvenlikKodu=WRONG" "sifreliGirisButonu=GİRİŞ" >/dev/null
    expect "$WORK/s3.html" 'Resimdeki yazıyı hatalı girdiniz.' "wrong captcha costs no try"
    RESULT=$(s_post /nb/nb.go "$WORK/s3.html" "$WORK/s4.html" "tcKimlikNo=10000000146" \
        "guvenlikSozcugu=Kelebek42" "guvenlikKodu=$(cat "$WORK/sifreli-captcha.txt")" \
        "sifreliGirisButonu=GİRİŞ")
    [[ $RESULT == "200 $SIFRELI/nb/smsDogrulama.go" ]] || fail "sign-in led to “$RESULT”"
    expect "$WORK/s4.html" '<span id="smsTelefon">*** *** ** 33</span>' "SMS page"
    SMS=$(awk 'END { print $3 }' "$WORK/sifreli-sms.log")
    pass "Şifreli Giriş: a wrong word counted, a wrong captcha not, the right word sends an SMS"

    RESULT=$(s_post /nb/smsDogrulama.go "$WORK/s4.html" "$WORK/s5.html" "smsKodu=$SMS" \
        "smsOnayButonu=ONAYLA")
    [[ $RESULT == "200 $SIFRELI/nb/kilitCozme.go" ]] || fail "SMS code led to “$RESULT”"
    RESULT=$(s -o /dev/null -w '%{http_code}' -H "Cookie: JSESSIONID=$(awk -F'\t' \
        '$6 == "JSESSIONID" { print $7 }' "$WORK/sifreli.jar")" --data-binary unblock-refused \
        "$SIFRELI/_sim/faults")
    [ "$RESULT" = 200 ] || fail "POST /_sim/faults on the Şifreli listener answered $RESULT"
    s_post /nb/kilitCozme.go "$WORK/s5.html" "$WORK/s6.html" "kilitKoduAlButonu=AL" >/dev/null
    expect "$WORK/s6.html" 'kilit çözme kodu şu anda verilemiyor' "unblock-refused fault"
    expect_not "$WORK/s6.html" 'kilitCozmeKodu' "unblock-refused fault"
    s_post /nb/kilitCozme.go "$WORK/s6.html" "$WORK/s7.html" "kilitKoduAlButonu=AL" >/dev/null
    expect "$WORK/s7.html" '<span id="kilitCozmeKodu">12345678</span>' "the card's unblock code"
    pass "Kilit Çözme: refused under the fault, then the fixture card's code"

    # Two wrong words in a row close the route for the number (--security-word-tries 2).
    s -o "$WORK/t1.html" "$SIFRELI/nb/nb.go"
    for _ in 1 2; do
        s_post /nb/nb.go "$WORK/t1.html" "$WORK/t2.html" "tcKimlikNo=10000000146" \
            "guvenlikSozcugu=Tirtil" "guvenlikKodu=$(cat "$WORK/sifreli-captcha.txt")" \
            "sifreliGirisButonu=GİRİŞ" >/dev/null
        cp "$WORK/t2.html" "$WORK/t1.html"
    done
    s_post /nb/nb.go "$WORK/t1.html" "$WORK/t3.html" "tcKimlikNo=10000000146" \
        "guvenlikSozcugu=Kelebek42" "guvenlikKodu=$(cat "$WORK/sifreli-captcha.txt")" \
        "sifreliGirisButonu=GİRİŞ" >/dev/null
    expect "$WORK/t3.html" 'Şifreli Giriş bu T.C. Kimlik No için kapatılmıştır' "route closed"
    pass "Şifreli Giriş: closed for the number after --security-word-tries wrong words"
    stop_sim "$SIFRELI_PID"

    # --unblock-code-file (the demo's): a person's card code and security
    # word from a private file, never from the command line.
    printf '10000000214 87654321 Papatya42\n' > "$WORK/unblock-codes"
    chmod 0644 "$WORK/unblock-codes"
    if timeout 10 "$SIM" --port 0 --tls-dir "$WORK/tls" --sifreli-giris \
        --unblock-code-file "$WORK/unblock-codes" >"$WORK/sim-open.out" 2>"$WORK/sim-open.err" \
        </dev/null; then
        fail "a code file others may read was accepted"
    fi
    grep -q 'mode 0600 wanted' "$WORK/sim-open.err" || fail "refusal: $(cat "$WORK/sim-open.err")"
    expect_not "$WORK/sim-open.err" '87654321' "the refusal's message"
    chmod 0600 "$WORK/unblock-codes"
    start_sim codes --tls-dir "$WORK/tls" --test-endpoints --sifreli-giris \
        --unblock-code-file "$WORK/unblock-codes" --captcha-log "$WORK/codes-captcha.txt" \
        --sms-log "$WORK/codes-sms.log"
    CODES_PID=$PID
    SIFRELI=""
    for _ in $(seq 50); do
        SIFRELI=$(sed -n 's/^listening-nes-sifreli \(https:\/\/127\.0\.0\.1:[0-9]*\)\/$/\1/p' \
            "$WORK/sim-codes.out")
        [ -n "$SIFRELI" ] && break
        sleep 0.1
    done
    [ -n "$SIFRELI" ] || fail "no listening-nes-sifreli line: $(cat "$WORK/sim-codes.out")"
    rm -f "$WORK/sifreli.jar"
    s -o "$WORK/u1.html" "$SIFRELI/nb/nb.go"
    RESULT=$(s_post /nb/nb.go "$WORK/u1.html" "$WORK/u2.html" "tcKimlikNo=10000000214" \
        "guvenlikSozcugu=Papatya42" "guvenlikKodu=$(cat "$WORK/codes-captcha.txt")" \
        "sifreliGirisButonu=GİRİŞ")
    [[ $RESULT == "200 $SIFRELI/nb/smsDogrulama.go" ]] || fail "the file's word led to “$RESULT”"
    SMS=$(awk 'END { print $3 }' "$WORK/codes-sms.log")
    RESULT=$(s_post /nb/smsDogrulama.go "$WORK/u2.html" "$WORK/u3.html" "smsKodu=$SMS" \
        "smsOnayButonu=ONAYLA")
    [[ $RESULT == "200 $SIFRELI/nb/kilitCozme.go" ]] || fail "SMS code led to “$RESULT”"
    s_post /nb/kilitCozme.go "$WORK/u3.html" "$WORK/u4.html" "kilitKoduAlButonu=AL" >/dev/null
    expect "$WORK/u4.html" '<span id="kilitCozmeKodu">87654321</span>' "the file's unblock code"
    stop_sim "$CODES_PID"
    pass "--unblock-code-file: refused unless private; its word and code work for the person"
fi

# ============================================================================
"$SIM" --dump-pages "$WORK/pages" >/dev/null
for page in login form-field-error form-filled sms sms-wrong-code method result \
                        esigned esigned-expired method-esigned-unavailable \
                        session-expired redesigned malformed truncated nes-login \
                        nes-login-mismatch nes-session-expired nes-code nes-code-eonay \
                        nes-code-expired nes-menu nes-eonay nes-eonay-active \
                        nes-eonay-cancelled; do
    [ -s "$WORK/pages/$page.html" ] || fail "--dump-pages did not write $page.html"
done
[ -s "$WORK/pages/nes-signer.jnlp" ] || fail "--dump-pages did not write nes-signer.jnlp"
pass "--dump-pages writes every sample page"

echo "All $STEP checks passed."
