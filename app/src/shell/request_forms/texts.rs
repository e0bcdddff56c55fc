//! Every text of the request forms, in Persian and English: field labels, hints and options per
//! form (provided to the shared field components as [`FieldTexts`]), page titles, and the
//! drafts, saving and storage messages. The forms bundle and the staff bundle (labels and options
//! of a request's answers) carry them; the student app's bundle does not.

use rules::requests::RequestKind;
use rules::Level;

use crate::shell::components::field_input::FieldTexts;
use crate::shell::i18n::Lang;

pub struct FormTexts {
    pub page_title: fn(&str) -> Option<&'static str>,
    pub exemption_label: fn(&str) -> Option<&'static str>,
    pub withdrawal_label: fn(&str) -> Option<&'static str>,
    pub clearance_label: fn(&str) -> Option<&'static str>,
    pub hint: fn(&str) -> Option<&'static str>,
    pub option: fn(&str, &str) -> Option<&'static str>,

    pub no_sakha_lines: &'static [&'static str],
    pub no_sakha_bring: &'static str,
    pub no_sakha_items: &'static [&'static str],
    pub no_sakha_kept: &'static str,

    pub saving: &'static str,
    pub saved: &'static str,
    pub save_failed: &'static str,
    pub saved_in_memory: &'static str,
    pub conflict: &'static str,
    pub load_theirs: &'static str,
    pub keep_mine: &'static str,
    pub updated_elsewhere: &'static str,
    pub storage_unavailable: &'static str,
    pub storage_full: &'static str,
    pub storage_other: &'static str,
    pub export_draft: &'static str,
    pub import_draft: &'static str,
    pub import_failed: &'static str,

    pub drafts_intro: &'static str,
    pub no_drafts: &'static str,
    pub draft_kind: &'static str,
    pub draft_updated: &'static str,
    pub draft_progress: &'static str,
    pub draft_status: &'static str,
    pub progress: fn(usize, usize) -> String,
    pub in_progress: &'static str,
    pub ready: &'static str,
    pub resume: &'static str,
    pub delete: &'static str,
    pub confirm_delete: &'static str,
    pub cancel: &'static str,
    pub start_new_heading: &'static str,
    pub unreadable: fn(usize) -> String,
    pub loading: &'static str,

    pub file_choose: &'static str,
    /// The first, empty option of the university list.
    pub university_choose: &'static str,
    pub file_chosen: &'static str,
    pub file_reading: &'static str,
    pub file_size: fn(u64) -> String,

    pub precheck_heading: &'static str,
    pub justification_intro: &'static str,
    pub preview_heading: &'static str,
    pub preview_note: &'static str,
    pub preview_label: fn(&str) -> &'static str,
    pub offices_heading: &'static str,
    pub offices_intro: &'static str,
    pub office_waiting: &'static str,
    pub office_card: &'static str,
    pub office_debt: &'static str,
    pub ready_title: &'static str,
    pub ready_body: &'static str,
    pub print: &'static str,
    pub to_drafts: &'static str,

    pub submit: &'static str,
    pub server_refused: &'static str,
    pub track_intro: &'static str,
    pub outbox_heading: &'static str,
    pub outbox_sending: &'static str,
    pub outbox_waiting: fn(&str) -> String,
    pub outbox_rejected: &'static str,
    pub outbox_fix: &'static str,
    pub retry_now: &'static str,
    pub submitted_heading: &'static str,
    pub no_requests: &'static str,
    pub tracking_code: &'static str,
    pub submitted_on: &'static str,
    pub status_checked: fn(&str) -> String,
    pub receipt: &'static str,
    pub receipt_keep: &'static str,
    pub print_receipt: &'static str,
    pub qr_label: &'static str,
    pub lookup_heading: &'static str,
    pub lookup_intro: &'static str,
    pub lookup_button: &'static str,
    pub lookup_not_found: &'static str,
    pub lookup_too_many: fn(&str) -> String,
    pub lookup_offline: &'static str,
    pub timeline_heading: &'static str,
}

impl FormTexts {
    pub fn of(lang: Lang) -> &'static FormTexts {
        match lang {
            Lang::Fa => &FA,
            Lang::En => &EN,
        }
    }

    fn label(&self, kind: RequestKind) -> fn(&str) -> Option<&'static str> {
        match kind {
            RequestKind::Exemption => self.exemption_label,
            RequestKind::Withdrawal => self.withdrawal_label,
            RequestKind::Clearance => self.clearance_label,
        }
    }
}

/// The field texts of one form, for the shared field components.
pub fn field_texts(kind: RequestKind) -> FieldTexts {
    fn option(lang: Lang, field: &str, value: &str) -> &'static str {
        (FormTexts::of(lang).option)(field, value)
            .or_else(|| Level::from_id(value).map(|l| (lang.texts().level_name)(l)))
            .unwrap_or("")
    }
    fn hint(lang: Lang, name: &str) -> Option<&'static str> {
        (FormTexts::of(lang).hint)(name)
    }
    match kind {
        RequestKind::Exemption => FieldTexts {
            label: |lang, name| (FormTexts::of(lang).label(RequestKind::Exemption))(name),
            hint,
            option,
        },
        RequestKind::Withdrawal => FieldTexts {
            label: |lang, name| (FormTexts::of(lang).label(RequestKind::Withdrawal))(name),
            hint,
            option,
        },
        RequestKind::Clearance => FieldTexts {
            label: |lang, name| (FormTexts::of(lang).label(RequestKind::Clearance))(name),
            hint,
            option,
        },
    }
}

pub static FA: FormTexts = FormTexts {
    page_title: |slug| match slug {
        "mobile" => Some("تلفن همراه"),
        "residence" => Some("محل سکونت"),
        "previous" => Some("مقطع تحصیلی قبلی"),
        "field" => Some("رشته و گرایش"),
        "no-sakha" => Some("ابتدا کد سخا بگیرید"),
        _ => None,
    },
    exemption_label: |name| {
        Some(match name {
            "has_sakha_code" => "آیا کد سخا دارید؟",
            "national_id" => "کد ملی شما چیست؟",
            "mobile" => "شماره تلفن همراه",
            "sms_opt_in" => "آیا می‌خواهید وضعیت درخواست با پیامک به شما خبر داده شود؟",
            "residence_province" => "استان محل سکونت",
            "residence_city" => "شهر محل سکونت",
            "residence_address" => "نشانی محل سکونت",
            "postal_code" => "کد پستی",
            "relatives" => "نشانی و تلفن یکی از بستگان",
            "previous_level" => "مقطع تحصیلی قبلی",
            "previous_graduation" => "تاریخ فراغت از تحصیل در مقطع قبلی",
            "university" => "دانشگاه یا مؤسسه آموزش عالی محل تحصیل",
            "level" => "در چه مقطعی پذیرفته شده‌اید؟",
            "field_of_study" => "رشته تحصیلی",
            "specialisation" => "گرایش",
            "justification" => "درخواست توجیه عدم صدور: چرا باید معافیت صادر شود؟",
            _ => return None,
        })
    },
    withdrawal_label: |name| {
        Some(match name {
            "student_number" => "شماره دانشجویی شما چیست؟",
            "national_id" => "کد ملی شما چیست؟",
            "mobile" => "شماره تلفن همراه شما چیست؟",
            "faculty" => "دانشکده شما",
            "level" => "از کدام مقطع انصراف می‌دهید؟",
            "reason" => "علت انصراف",
            "withdrawal_form" => "فرم انصراف از تحصیل (تکمیل و امضاشده)",
            "early_withdrawal" => "آیا پیش از موعد انصراف می‌دهید؟",
            "early_withdrawal_form" => "فرم انصراف زودهنگام",
            "student_card" => "کارت دانشجویی شما",
            "duplicate_card_requested" => "آیا درخواست کارت المثنی را در پیشخوان خدمت ثبت کرده‌اید؟",
            "notarised_undertaking" => "تعهد محضری",
            _ => return None,
        })
    },
    clearance_label: |name| {
        Some(match name {
            "national_id" => "کد ملی شما چیست؟",
            "mobile" => "شماره تلفن همراه شما چیست؟",
            "reason" => "علت تسویه حساب",
            "evening_course" => "آیا دانشجوی دوره نوبت دوم (شبانه) هستید؟",
            _ => return None,
        })
    },
    hint: |name| {
        Some(match name {
            "has_sakha_code" => "کد سخا رمز ورود به سامانه خدمات انتظامی است و در دفاتر خدمات الکترونیک انتظامی داده می‌شود.",
            "national_id" => "۱۰ رقم، مانند ۰۰۱۲۳۴۵۶۷۸.",
            "mobile" => "مانند ۰۹۱۲۱۲۳۴۵۶۷. رمز یک‌بارمصرف پیگیری و اقدام روی درخواست به این شماره پیامک می‌شود.",
            "postal_code" => "۱۰ رقم.",
            "relatives" => "برای تماس، اگر به شما دسترسی نبود.",
            "student_number" => "همان شماره‌ای که روی کارت دانشجویی است.",
            "withdrawal_form" | "early_withdrawal_form" | "notarised_undertaking" => {
                "فایل PDF، JPEG یا PNG، حداکثر ۵ مگابایت."
            }
            "early_withdrawal" => "اگر پیش از پایان مدت مقرر انصراف می‌دهید، فرم انصراف زودهنگام هم لازم است.",
            "duplicate_card_requested" => "برای کارت گم‌شده، به جای کارت، درخواست المثنی و تعهد محضری لازم است.",
            "justification" => "این درخواست برای تصمیم به کارتابل معاونت وظیفه عمومی فرستاده می‌شود.",
            _ => return None,
        })
    },
    option: |field, value| {
        Some(match (field, value) {
            ("previous_level", "diploma") => "دیپلم",
            ("student_card", "handed_in") => "آن را به کارشناس آموزش دانشکده تحویل می‌دهم",
            ("student_card", "lost") => "گم شده است",
            ("reason", "expulsion") => "اخراج",
            ("reason", "withdrawal") => "انصراف از تحصیل",
            ("reason", "not_registered") => "ثبت‌نام نکردن",
            _ => return None,
        })
    },

    no_sakha_lines: &[
        "درخواست معافیت تحصیلی از راه اینترنت فقط با کد سخا ممکن است.",
        "به یکی از دفاتر خدمات الکترونیک انتظامی بروید؛ آن‌جا کد سخا به شما داده می‌شود یا درخواست را برایتان ثبت می‌کنند.",
    ],
    no_sakha_bring: "همراه داشته باشید:",
    no_sakha_items: &[
        "اصل کارت ملی و شناسنامه",
        "پذیرش موقت یا کارنامه قبولی سازمان سنجش (چاپ‌شده)",
        "مدرک تحصیلی مقطع قبلی",
        "شماره تلفن همراهی که به نام خودتان است",
    ],
    no_sakha_kept: "پاسخ‌هایتان در «پیش‌نویس‌های من» نگه داشته می‌شود؛ پس از گرفتن کد سخا از همین‌جا ادامه دهید.",

    saving: "در حال ذخیره…",
    saved: "ذخیره شد",
    save_failed: "ذخیره نشد",
    saved_in_memory: "فقط در این صفحه نگه داشته شد",
    conflict: "این پیش‌نویس در برگه یا پنجره دیگری تغییر کرده است. کدام نسخه نگه داشته شود؟",
    load_theirs: "نسخه تازه‌تر را بارگذاری کن",
    keep_mine: "نسخه این برگه را نگه دار",
    updated_elsewhere: "این پیش‌نویس در برگه دیگری به‌روز شد و پاسخ‌های تازه در این‌جا هم نمایش داده شد.",
    storage_unavailable: "حافظه مرورگر در دسترس نیست (شاید در حالت خصوصی هستید). پاسخ‌هایتان فقط تا بستن این صفحه نگه داشته می‌شود؛ برای نگه داشتن آن‌ها، پیش‌نویس را در فایل ذخیره کنید.",
    storage_full: "حافظه مرورگر پر است. پاسخ‌هایتان فعلاً فقط در این صفحه نگه داشته می‌شود؛ پیش‌نویس را در فایل ذخیره کنید یا پیش‌نویس‌های قدیمی را پاک کنید.",
    storage_other: "ذخیره در حافظه مرورگر ممکن نشد. پاسخ‌هایتان فعلاً فقط در این صفحه نگه داشته می‌شود؛ پیش‌نویس را در فایل ذخیره کنید.",
    export_draft: "ذخیره پیش‌نویس در فایل",
    import_draft: "باز کردن پیش‌نویس از فایل",
    import_failed: "این فایل پیش‌نویس پیشخوان نیست یا خوانده نشد:",

    drafts_intro: "درخواست‌های نیمه‌تمام و آماده ارسال شما. این پیش‌نویس‌ها فقط در همین دستگاه و همین مرورگر نگه داشته می‌شوند.",
    no_drafts: "هنوز پیش‌نویسی ندارید.",
    draft_kind: "درخواست",
    draft_updated: "آخرین تغییر",
    draft_progress: "پیشرفت",
    draft_status: "وضعیت",
    progress: |done, total| crate::shell::i18n::Lang::Fa.digits(&format!("{done} از {total} بخش")),
    in_progress: "در حال تکمیل",
    ready: "آماده ارسال",
    resume: "ادامه",
    delete: "حذف",
    confirm_delete: "بله، حذف شود",
    cancel: "انصراف",
    start_new_heading: "شروع درخواست تازه",
    unreadable: |n| {
        crate::shell::i18n::Lang::Fa.digits(&format!(
            "{n} پیش‌نویس خوانده نشد (شاید با نسخه تازه‌تری از پیشخوان ساخته شده است). پاک نشده‌اند."
        ))
    },
    loading: "در حال بارگذاری…",

    file_choose: "انتخاب فایل",
    university_choose: "دانشگاه را برگزینید",
    file_chosen: "فایل انتخاب‌شده:",
    file_reading: "در حال خواندن فایل…",
    file_size: |bytes| {
        crate::shell::i18n::Lang::Fa.digits(&format!("{} کیلوبایت", bytes.div_ceil(1024)))
    },

    precheck_heading: "بررسی اولیه شرایط",
    justification_intro: "بررسی اولیه منفی است. اگر فکر می‌کنید باید معافیت صادر شود، دلیل خود را بنویسید تا درخواست توجیه عدم صدور ثبت شود.",
    preview_heading: "مهلت‌ها، اگر درخواست امروز ثبت شود",
    preview_note: "اگر حکم دیرتر صادر شود، مهلت معرفی هم به همان اندازه دیرتر می‌شود.",
    preview_label: |name| match name {
        "revocation_deadline" => "آخرین روز برای برگشت از انصراف (فقط یک بار)",
        "final_ruling_from" => "زودترین روز صدور حکم قطعی انصراف",
        "present_by_earliest" => "مهلت معرفی به وظیفه عمومی (ماده ۳۴)، اگر حکم در زودترین روز صادر شود",
        _ => "",
    },
    offices_heading: "واحدهایی که درخواست از آن‌ها می‌گذرد",
    offices_intro: "درخواست به ترتیب به این واحدها می‌رود. هر واحد ممکن است مراجعه حضوری بخواهد؛ در آن صورت پیامک می‌گیرید.",
    office_waiting: "در انتظار",
    office_card: "کارت دانشجویی را این‌جا تحویل دهید.",
    office_debt: "بدهی شما این‌جا ثبت می‌شود.",
    ready_title: "درخواست فرستاده شده است",
    ready_body: "اگر اینترنت قطع بوده، درخواست در صف ارسال است و به محض وصل شدن فرستاده می‌شود. کد رهگیری و وضعیت آن در «پیگیری درخواست» است.",
    print: "چاپ خلاصه",
    to_drafts: "رفتن به پیش‌نویس‌های من",

    submit: "ارسال درخواست",
    server_refused: "سامانه این درخواست را نپذیرفت. موارد زیر را درست کنید و دوباره بفرستید:",
    track_intro: "درخواست‌هایی که از این دستگاه فرستاده‌اید. اگر اینترنت قطع باشد، درخواست در صف می‌ماند و به محض وصل شدن فرستاده می‌شود.",
    outbox_heading: "در صف ارسال",
    outbox_sending: "در حال ارسال…",
    outbox_waiting: |at| format!("هنوز فرستاده نشده (اینترنت یا سامانه در دسترس نیست). تلاش دوباره: {at}"),
    outbox_rejected: "سامانه این درخواست را نپذیرفت؛ آن را درست کنید و دوباره بفرستید.",
    outbox_fix: "درست کردن درخواست",
    retry_now: "همین حالا دوباره بفرست",
    submitted_heading: "درخواست‌های ثبت‌شده",
    no_requests: "هنوز درخواستی از این دستگاه ثبت نشده است.",
    tracking_code: "کد رهگیری",
    submitted_on: "تاریخ ثبت",
    status_checked: |at| format!("به‌روز شده در {at}"),
    receipt: "رسید درخواست",
    receipt_keep: "کد رهگیری را نگه دارید؛ برای پیگیری درخواست، کد رهگیری و کد ملی لازم است.",
    print_receipt: "چاپ رسید",
    qr_label: "کد QR کد رهگیری",
    lookup_heading: "پیگیری با کد رهگیری",
    lookup_intro: "برای درخواستی که از دستگاه دیگری (مثلاً یک کیوسک) فرستاده‌اید، کد رهگیری و کد ملی را بنویسید.",
    lookup_button: "پیگیری",
    lookup_not_found: "درخواستی با این کد رهگیری و این کد ملی پیدا نشد. هر دو را دوباره بررسی کنید.",
    lookup_too_many: |wait| format!("تلاش‌ها زیاد بود؛ {wait} ثانیه دیگر دوباره امتحان کنید."),
    lookup_offline: "برای پیگیری به اینترنت نیاز است؛ سامانه در دسترس نیست.",
    timeline_heading: "گردش کار",
};

pub static EN: FormTexts = FormTexts {
    page_title: |slug| match slug {
        "mobile" => Some("Mobile"),
        "residence" => Some("Where you live"),
        "previous" => Some("Previous level"),
        "field" => Some("Field and specialisation"),
        "no-sakha" => Some("First get a Sakha code"),
        _ => None,
    },
    exemption_label: |name| {
        Some(match name {
            "has_sakha_code" => "Do you have a Sakha code?",
            "national_id" => "What is your national ID number?",
            "mobile" => "Mobile number",
            "sms_opt_in" => "Do you want SMS updates about your request?",
            "residence_province" => "Province you live in",
            "residence_city" => "City you live in",
            "residence_address" => "Address",
            "postal_code" => "Postal code",
            "relatives" => "Address and phone of a relative",
            "previous_level" => "Previous level of study",
            "previous_graduation" => "Graduation date of the previous level",
            "university" => "Your university or institution",
            "level" => "Which level were you admitted to?",
            "field_of_study" => "Field of study",
            "specialisation" => "Specialisation",
            "justification" => "Justification request: why should the exemption still be issued?",
            _ => return None,
        })
    },
    withdrawal_label: |name| {
        Some(match name {
            "student_number" => "What is your student number?",
            "national_id" => "What is your national ID number?",
            "mobile" => "What is your mobile number?",
            "faculty" => "Your faculty",
            "level" => "Which level are you withdrawing from?",
            "reason" => "Reason for withdrawing",
            "withdrawal_form" => "The withdrawal form (filled in and signed)",
            "early_withdrawal" => "Are you withdrawing before the due time?",
            "early_withdrawal_form" => "The early-withdrawal form",
            "student_card" => "Your student card",
            "duplicate_card_requested" => "Have you filed the duplicate-card request at the service counter?",
            "notarised_undertaking" => "Notarised undertaking",
            _ => return None,
        })
    },
    clearance_label: |name| {
        Some(match name {
            "national_id" => "What is your national ID number?",
            "mobile" => "What is your mobile number?",
            "reason" => "Reason for clearance",
            "evening_course" => "Are you an evening-course student?",
            _ => return None,
        })
    },
    hint: |name| {
        Some(match name {
            "has_sakha_code" => "The Sakha code is the password of the police services system; police e-services offices issue it.",
            "national_id" => "10 digits, like 0012345678.",
            "mobile" => "Like 09121234567. The one-time code for following and acting on the request is sent to it by SMS.",
            "postal_code" => "10 digits.",
            "relatives" => "To reach you through them if you cannot be reached.",
            "student_number" => "The number on your student card.",
            "withdrawal_form" | "early_withdrawal_form" | "notarised_undertaking" => {
                "A PDF, JPEG or PNG file, at most 5 MB."
            }
            "early_withdrawal" => "Withdrawing before the end of the set period needs the early-withdrawal form too.",
            "duplicate_card_requested" => "Instead of a lost card, a duplicate-card request and a notarised undertaking are needed.",
            "justification" => "This request goes to the conscription deputy for a decision.",
            _ => return None,
        })
    },
    option: |field, value| {
        Some(match (field, value) {
            ("previous_level", "diploma") => "Diploma",
            ("student_card", "handed_in") => "I hand it in to the faculty's education expert",
            ("student_card", "lost") => "It is lost",
            ("reason", "expulsion") => "Expulsion",
            ("reason", "withdrawal") => "Withdrawal from study",
            ("reason", "not_registered") => "Did not register",
            _ => return None,
        })
    },

    no_sakha_lines: &[
        "The exemption can be requested online only with a Sakha code.",
        "Go to a police e-services office: they give you a Sakha code or file the request for you.",
    ],
    no_sakha_bring: "Bring:",
    no_sakha_items: &[
        "your national ID card and birth certificate (originals)",
        "the provisional admission or results sheet of the national testing organisation (printed)",
        "the certificate of your previous level",
        "a mobile number in your own name",
    ],
    no_sakha_kept: "Your answers are kept in “My drafts”; continue from there once you have a Sakha code.",

    saving: "Saving…",
    saved: "Saved",
    save_failed: "Not saved",
    saved_in_memory: "Kept on this page only",
    conflict: "This draft was changed in another tab or window. Which version should be kept?",
    load_theirs: "Load the newer version",
    keep_mine: "Keep this tab's version",
    updated_elsewhere: "This draft was updated in another tab; the new answers are shown here too.",
    storage_unavailable: "The browser's storage is not available (perhaps a private window). Your answers are kept only until this page is closed; to keep them, save the draft to a file.",
    storage_full: "The browser's storage is full. Your answers are kept on this page only for now; save the draft to a file or delete old drafts.",
    storage_other: "Saving in the browser's storage failed. Your answers are kept on this page only for now; save the draft to a file.",
    export_draft: "Save the draft to a file",
    import_draft: "Open a draft from a file",
    import_failed: "This file is not a Pishkhan draft or could not be read:",

    drafts_intro: "Your unfinished and ready requests. Drafts are kept only on this device, in this browser.",
    no_drafts: "You have no drafts yet.",
    draft_kind: "Request",
    draft_updated: "Last change",
    draft_progress: "Progress",
    draft_status: "Status",
    progress: |done, total| format!("{done} of {total} parts"),
    in_progress: "In progress",
    ready: "Ready to submit",
    resume: "Continue",
    delete: "Delete",
    confirm_delete: "Yes, delete it",
    cancel: "Cancel",
    start_new_heading: "Start a new request",
    unreadable: |n| {
        format!("{n} draft(s) could not be read (perhaps made by a newer version of Pishkhan). They were not deleted.")
    },
    loading: "Loading…",

    file_choose: "Choose a file",
    university_choose: "Choose your university",
    file_chosen: "Chosen file:",
    file_reading: "Reading the file…",
    file_size: |bytes| format!("{} KB", bytes.div_ceil(1024)),

    precheck_heading: "Initial check of the conditions",
    justification_intro: "The initial check says no. If you think the exemption should be issued, write why, and a justification request is filed.",
    preview_heading: "Deadlines if the request is filed today",
    preview_note: "If the ruling comes later, the presentation deadline moves later by as much.",
    preview_label: |name| match name {
        "revocation_deadline" => "Last day to take the withdrawal back (once only)",
        "final_ruling_from" => "First day the final withdrawal ruling may be issued",
        "present_by_earliest" => "Deadline to present for service (Art. 34) if the ruling comes on that first day",
        _ => "",
    },
    offices_heading: "Offices the request passes through",
    offices_intro: "The request goes to these offices in order. An office may ask you to come in person; you then get an SMS.",
    office_waiting: "Waiting",
    office_card: "Hand in your student card here.",
    office_debt: "Your debt is recorded here.",
    ready_title: "The request has been submitted",
    ready_body: "If there was no internet, it waits in the queue and is sent as soon as you are back online. Its tracking code and status are under “Track a request”.",
    print: "Print the summary",
    to_drafts: "Go to my drafts",

    submit: "Submit the request",
    server_refused: "The system did not accept this request. Correct the following and submit again:",
    track_intro: "The requests you sent from this device. Without internet a request waits in the queue and is sent as soon as you are back online.",
    outbox_heading: "Waiting to be sent",
    outbox_sending: "Sending…",
    outbox_waiting: |at| format!("Not sent yet (no internet or the system is unreachable). Next try: {at}"),
    outbox_rejected: "The system did not accept this request; correct it and submit again.",
    outbox_fix: "Correct the request",
    retry_now: "Try again now",
    submitted_heading: "Submitted requests",
    no_requests: "No request has been submitted from this device yet.",
    tracking_code: "Tracking code",
    submitted_on: "Submitted on",
    status_checked: |at| format!("checked {at}"),
    receipt: "Request receipt",
    receipt_keep: "Keep the tracking code: you need it and your national ID to follow the request.",
    print_receipt: "Print the receipt",
    qr_label: "QR code of the tracking code",
    lookup_heading: "Look up a tracking code",
    lookup_intro: "For a request sent from another device (a kiosk, say), enter its tracking code and your national ID.",
    lookup_button: "Look it up",
    lookup_not_found: "No request was found with this tracking code and national ID. Check both.",
    lookup_too_many: |wait| format!("Too many tries; try again in {wait} seconds."),
    lookup_offline: "Looking up needs the internet; the system cannot be reached.",
    timeline_heading: "Timeline",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::form::Kind;
    use crate::shell::request_forms::flow::ALL;

    /// Every field, page and option of every form has a text in both languages.
    #[test]
    fn both_languages_cover_every_form() {
        for lang in [Lang::Fa, Lang::En] {
            for form in ALL {
                let texts = field_texts(form.kind);
                for page in form.pages {
                    if page.fields.len() != 1 {
                        assert!(
                            (FormTexts::of(lang).page_title)(page.slug).is_some(),
                            "{lang:?} {}",
                            page.slug
                        );
                    }
                    for f in page.fields.iter().chain(form.check_fields) {
                        let label = (texts.label)(lang, f.name)
                            .unwrap_or_else(|| (lang.texts().field_label)(f.name));
                        assert!(!label.is_empty(), "{lang:?} {}", f.name);
                        if let Kind::Choice(values) = f.kind {
                            for v in values {
                                assert!(
                                    !(texts.option)(lang, f.name, v).is_empty(),
                                    "{lang:?} {} {v}",
                                    f.name
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
