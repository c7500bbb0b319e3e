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
#define TEXT_NO_ESIGNED "E-imzalı başvuru bu simülatörde henüz desteklenmiyor."
