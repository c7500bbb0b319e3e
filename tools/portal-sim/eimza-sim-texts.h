/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The portal's page-level messages, word for word as docs/portal-protocol.md has them. */
#pragma once

#define TEXT_SESSION_EXPIRED "Oturumunuzun süresi doldu. Lütfen yeniden giriş yapın."
#define TEXT_WRONG_CAPTCHA "Resimdeki yazıyı hatalı girdiniz."
#define TEXT_MERNIS_MISMATCH "Girdiğiniz kimlik bilgileri MERNİS kayıtlarıyla uyuşmamaktadır."
#define TEXT_FORM_ERRORS "Formda hatalı alanlar var."
#define TEXT_SMS_SENT "SMS onay kodu cep telefonunuza gönderildi."
#define TEXT_SMS_WAIT "Yeni kod için %u saniye bekleyiniz."
#define TEXT_SMS_WRONG "SMS onay kodu hatalı. Kalan deneme hakkınız: %u."
#define TEXT_SMS_LOCKED "Çok fazla hatalı deneme yaptınız. Başvurunuz için yeniden giriş yapınız."
#define TEXT_SMS_EXPIRED "SMS onay kodunun süresi doldu. Yeni kod isteyiniz."
#define TEXT_NO_EONAY "Aktif e-onayınız bulunmamaktadır."
/* E-İmzalı Başvuru on a portal that cannot check signatures (no
 * --nes-client-ca). */
#define TEXT_ESIGNED_UNAVAILABLE "E-imzalı başvuru şu anda alınamıyor: imza doğrulama hizmetine ulaşılamıyor."

/* The NES site's, word for word as docs/eonay-protocol.md has them. */
#define TEXT_NES_TCKN_INVALID "Geçerli bir T.C. Kimlik No giriniz."
#define TEXT_NES_TCKN_MISMATCH "Girdiğiniz T.C. Kimlik No e-imza sertifikanızdaki bilgiyle uyuşmamaktadır."
#define TEXT_NES_NOT_REGISTERED "Bu T.C. Kimlik No ile kayıtlı nitelikli elektronik sertifikanız bulunmamaktadır."
#define TEXT_NES_WAITING "İmzanız bekleniyor."
#define TEXT_NES_CODE_UNKNOWN "Doğrulama kodu bulunamadı."
#define TEXT_NES_CODE_USED "Bu doğrulama kodu ile daha önce imza yüklendi."
#define TEXT_NES_CODE_EXPIRED "Doğrulama kodunun süresi doldu. İşlemi yeniden başlatınız."
#define TEXT_NES_BAD_DATA "İmza verisi okunamadı."
#define TEXT_NES_UNTRUSTED "İmzalayan sertifika doğrulanamadı."
#define TEXT_NES_WRONG_CONTENT "İmza, doğrulama koduna ait veriyle doğrulanamadı."
#define TEXT_NES_NOT_CADES "İmza CAdES-BES değil: imzalayan sertifika özniteliği eksik."
#define TEXT_NES_WRONG_SIGNER "İmza, oturum açan kişiye ait olmayan bir sertifikayla atılmış."
#define TEXT_NES_SIGNING_TIME "İmza zamanı geçerli süre içinde değil."
#define TEXT_NES_ACCEPTED "İmzanız alındı."
#define TEXT_NES_CONSENT_REQUIRED "Devam etmek için taahhütnameyi onaylamanız gerekmektedir."
#define TEXT_NES_ALREADY_ACTIVE "E-onayınız zaten aktiftir."
#define TEXT_NES_CANCELLED "E-onayınız iptal edilmiştir."
#define TEXT_NES_EONAY_ACTIVE "E-onayınız aktiftir."
/* TEXT_NO_EONAY above is also the NES site's inactive state and its answer
 * to a cancellation without an e-onay. */

/* What the person commits to by giving an e-onay. The e-onay page shows it
 * and the document signed for the second code contains it verbatim. */
#define TEXT_NES_COMMITMENT \
  "Kamu Sertifikasyon Merkezi (Kamu SM) tarafından sunulan nitelikli elektronik " \
  "sertifika başvuru ve yenileme işlemlerimi, her seferinde e-imzamla imzalamak " \
  "yerine bu e-onay ile onaylamayı kabul ediyorum. E-onayımla yapılan başvuruların " \
  "tarafımca e-imzalı olarak yapılmış sayılacağını, e-onayımı NES Bireysel İşlemler " \
  "sayfasından dilediğim zaman iptal edebileceğimi ve iptalin yapılmış başvuruları " \
  "etkilemeyeceğini biliyorum."

/* What the person declares by signing an e-signed application. The page
 * shows it and the signed document contains it verbatim. */
#define TEXT_ESIGNED_COMMITMENT \
  "Bu başvuru formunda verdiğim bilgilerin doğru ve eksiksiz olduğunu; nitelikli " \
  "elektronik sertifikamı ve kişisel tanımlama numaramı (PIN) kimseyle " \
  "paylaşmayacağımı, kaybı veya çalınması durumunda Kamu SM’ye derhal bildireceğimi; " \
  "5070 sayılı Elektronik İmza Kanunu ile Kamu SM Sertifika Uygulama Esaslarında " \
  "sertifika sahibine yüklenen yükümlülükleri okuduğumu ve kabul ettiğimi beyan ve " \
  "taahhüt ederim."

/* The NES site's Şifreli Giriş and Kilit Çözme, word for word as
 * docs/unblock-protocol.md has them (our model, not checked against the
 * live site). */
#define TEXT_SIFRELI_WORD_WRONG "T.C. Kimlik No veya güvenlik sözcüğü hatalı. Kalan deneme hakkınız: %u."
#define TEXT_SIFRELI_LOCKED "Güvenlik sözcüğünü çok kez hatalı girdiniz. Şifreli Giriş bu T.C. Kimlik No için kapatılmıştır; Kamu SM Çağrı Merkezi'ni arayınız."
#define TEXT_SIFRELI_SMS_EXPIRED "SMS onay kodunun süresi doldu. Lütfen yeniden giriş yapın."
#define TEXT_SIFRELI_UNBLOCK_REFUSED "Kartınız için kilit çözme kodu şu anda verilemiyor. Daha sonra yeniden deneyiniz veya Kamu SM Çağrı Merkezi'ni arayınız."
#define TEXT_SIFRELI_NO_CARD "Adınıza kayıtlı etkin bir akıllı kart bulunamadı."
#define TEXT_SIFRELI_CODE_GIVEN "Kilit çözme kodunuz aşağıdadır. Kartınızı okuyucuya takarak yeni PIN'inizi belirleyiniz."
