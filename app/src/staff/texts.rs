//! Every text of the staff area in Persian and English (only the staff bundle carries them), and
//! the labels of its form fields for the shared field components ([`field_texts`]). Names of
//! roles, states, processes and actions are not here: they come from `rules::workflow`.

use crate::shell::components::field_input::FieldTexts;
use crate::shell::i18n::Lang;

pub struct StaffTexts {
    pub app_name: &'static str,
    pub loading: &'static str,
    pub network: &'static str,
    pub not_for_role: &'static str,
    pub signed_in_as: &'static str,
    pub logout: &'static str,
    pub nav_label: &'static str,
    pub nav_cartable: &'static str,
    pub nav_new: &'static str,
    pub nav_art34: &'static str,
    pub nav_users: &'static str,
    pub nav_offices: &'static str,
    pub nav_notifications: &'static str,
    pub nav_audit: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub cancel: &'static str,
    pub yes: &'static str,
    pub no: &'static str,

    pub login_title: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub locked: fn(u64) -> String,
    pub rate_limited: fn(u64) -> String,

    pub all: &'static str,
    pub states_label: &'static str,
    pub process_label: &'static str,
    pub search_label: &'static str,
    pub search_hint: &'static str,
    pub search: &'static str,
    pub tracking_code: &'static str,
    pub national_id: &'static str,
    pub state: &'static str,
    pub submitted: &'static str,
    pub updated: &'static str,
    pub empty_cartable: &'static str,
    pub showing: fn(usize, i64) -> String,

    pub process: &'static str,
    pub mobile: &'static str,
    pub answers_heading: &'static str,
    pub attachments_heading: &'static str,
    pub deadlines_heading: &'static str,
    pub revocation_deadline: &'static str,
    pub final_ruling_from: &'static str,
    pub audit_heading: &'static str,
    pub actor: &'static str,
    pub note: &'static str,
    pub row_hash: &'static str,
    pub actions_heading: &'static str,
    pub no_actions: &'static str,
    pub confirm_action: &'static str,
    pub moved: fn(&str) -> String,
    pub stale: &'static str,
    pub reload: &'static str,
    pub bytes: fn(u64) -> String,

    pub new_title: &'static str,
    pub new_intro: &'static str,
    pub file_request: &'static str,

    pub art34_title: &'static str,
    pub art34_intro: fn(&str) -> String,
    pub download_csv: &'static str,
    pub event: &'static str,
    pub event_date: &'static str,
    pub present_by: &'static str,
    pub overdue: &'static str,
    pub no_rows: &'static str,
    pub record_event: &'static str,
    pub record: &'static str,
    pub recorded: &'static str,
    pub event_name: fn(&str) -> &'static str,

    pub users_title: &'static str,
    pub add_user: &'static str,
    pub display_name: &'static str,
    pub role: &'static str,
    pub scope: &'static str,
    pub scope_hint: &'static str,
    pub active: &'static str,
    pub disabled: &'static str,
    pub locked_until: &'static str,
    pub enable: &'static str,
    pub disable: &'static str,
    pub new_password: &'static str,
    pub set_password: &'static str,
    pub create: &'static str,

    pub offices_title: &'static str,
    pub offices_intro: &'static str,
    pub office_id: &'static str,
    pub name_fa: &'static str,
    pub name_en: &'static str,
    pub flag: fn(&str) -> &'static str,
    pub add_office: &'static str,
    pub remove: &'static str,
    pub move_up: &'static str,
    pub move_down: &'static str,
    pub office_n: fn(usize) -> String,

    pub notifications_title: &'static str,
    pub message: &'static str,
    pub created_at: &'static str,
    pub sent_at: &'static str,
    pub attempts: &'static str,
    pub last_error: &'static str,
    pub not_sent: &'static str,

    pub audit_title: &'static str,
    pub audit_intro: &'static str,
    pub run_verify: &'static str,
    pub audit_ok: fn(i64, i64) -> String,
    pub audit_broken: fn(usize) -> String,
    pub reason: &'static str,

    /// Labels of the fields drawn by the shared field components.
    pub field: fn(&str) -> Option<&'static str>,
}

impl StaffTexts {
    pub fn of(lang: Lang) -> &'static StaffTexts {
        match lang {
            Lang::Fa => &FA,
            Lang::En => &EN,
        }
    }
}

/// Labels of the staff forms' fields (a move's data, an Art. 34 event), for `FieldInput`.
pub fn field_texts() -> FieldTexts {
    FieldTexts {
        label: |lang, name| (StaffTexts::of(lang).field)(name),
        hint: |_, _| None,
        option: |lang, _, value| (StaffTexts::of(lang).event_name)(value),
    }
}

pub static FA: StaffTexts = StaffTexts {
    app_name: "پیشخوان کارکنان",
    loading: "در حال بارگیری…",
    network: "پاسخی از سرور نرسید؛ اتصال را بررسی کنید و دوباره تلاش کنید.",
    not_for_role: "این بخش برای نقش شما نیست.",
    signed_in_as: "کاربر:",
    logout: "خروج",
    nav_label: "بخش‌ها",
    nav_cartable: "کارتابل",
    nav_new: "ثبت درخواست معافیت",
    nav_art34: "ماده ۳۴",
    nav_users: "کاربران",
    nav_offices: "واحدهای تسویه",
    nav_notifications: "پیامک‌ها",
    nav_audit: "بررسی زنجیره رویدادها",
    save: "ذخیره",
    saved: "ذخیره شد.",
    cancel: "انصراف",
    yes: "بله",
    no: "خیر",

    login_title: "ورود کارکنان",
    username: "نام کاربری",
    password: "گذرواژه",
    sign_in: "ورود",
    locked: |s| {
        format!(
            "حساب به دلیل تلاش‌های ناموفق پیاپی قفل شده است؛ {} دقیقه دیگر دوباره تلاش کنید.",
            rules::digits::to_persian_digits(&s.div_ceil(60).max(1).to_string())
        )
    },
    rate_limited: |s| {
        format!(
            "تلاش‌های ورود بیش از حد است؛ {} ثانیه دیگر دوباره تلاش کنید.",
            rules::digits::to_persian_digits(&s.to_string())
        )
    },

    all: "همه",
    states_label: "وضعیت",
    process_label: "فرایند",
    search_label: "جستجو با کد رهگیری یا کد ملی",
    search_hint: "رقم‌ها را با هر صفحه‌کلیدی بنویسید؛ خط تیره لازم نیست.",
    search: "جستجو",
    tracking_code: "کد رهگیری",
    national_id: "کد ملی",
    state: "وضعیت",
    submitted: "تاریخ ثبت",
    updated: "آخرین تغییر",
    empty_cartable: "درخواستی در کارتابل شما نیست.",
    showing: |n, total| {
        format!(
            "{} درخواست از {}",
            rules::digits::to_persian_digits(&n.to_string()),
            rules::digits::to_persian_digits(&total.to_string())
        )
    },

    process: "فرایند",
    mobile: "تلفن همراه",
    answers_heading: "پاسخ‌های درخواست",
    attachments_heading: "پیوست‌ها",
    deadlines_heading: "مهلت‌ها",
    revocation_deadline: "پایان مهلت انصراف از انصراف",
    final_ruling_from: "صدور حکم قطعی از",
    audit_heading: "سابقه اقدام‌ها",
    actor: "اقدام‌کننده",
    note: "یادداشت",
    row_hash: "چکیده",
    actions_heading: "اقدام‌های شما",
    no_actions: "این درخواست اکنون در مرحله شما نیست.",
    confirm_action: "ثبت اقدام",
    moved: |state| format!("اقدام ثبت شد. وضعیت اکنون: {state}"),
    stale: "کس دیگری پیش از شما این درخواست را جابه‌جا کرده است. درخواست را دوباره بارگیری کنید و دوباره تصمیم بگیرید.",
    reload: "بارگیری دوباره",
    bytes: |n| {
        format!(
            "{} کیلوبایت",
            rules::digits::to_persian_digits(&n.div_ceil(1024).to_string())
        )
    },

    new_title: "ثبت درخواست معافیت تحصیلی (دفتر خدمات)",
    new_intro: "پاسخ‌های دانشجو را همان‌گونه که در فرم درخواست آمده وارد کنید. درخواست با وضعیت «ثبت در سامانه وظیفه» آغاز می‌شود.",
    file_request: "ثبت درخواست",

    art34_title: "فهرست ماده ۳۴",
    art34_intro: |today| format!("نزدیک‌ترین مهلت نخست. امروز: {today}"),
    download_csv: "دریافت فایل CSV",
    event: "رویداد",
    event_date: "تاریخ رویداد",
    present_by: "مهلت معرفی",
    overdue: "گذشته از مهلت",
    no_rows: "ردیفی نیست.",
    record_event: "ثبت اخراج، ترک تحصیل یا فراغت",
    record: "ثبت",
    recorded: "ثبت شد.",
    event_name: |id| match id {
        "expulsion" => "اخراج",
        "dropout" => "ترک تحصیل",
        "graduation" => "فراغت از تحصیل",
        _ => "",
    },

    users_title: "کاربران",
    add_user: "افزودن کاربر",
    display_name: "نام نمایشی",
    role: "نقش",
    scope: "حوزه",
    scope_hint: "* برای همه؛ یا نام دانشگاه، شهرستان یا دانشکده، دقیقاً همان‌گونه که در درخواست‌ها می‌آید.",
    active: "فعال",
    disabled: "غیرفعال",
    locked_until: "قفل تا",
    enable: "فعال کردن",
    disable: "غیرفعال کردن",
    new_password: "گذرواژه تازه",
    set_password: "تعیین گذرواژه",
    create: "افزودن",

    offices_title: "واحدهای تسویه حساب",
    offices_intro: "ترتیب فهرست، ترتیب گذر درخواست تسویه از واحدهاست. پس از تغییر، «ذخیره» بزنید.",
    office_id: "شناسه",
    name_fa: "نام فارسی",
    name_en: "نام انگلیسی",
    flag: |f| match f {
        "receives_student_card" => "کارت دانشجویی را می‌گیرد",
        "records_debt" => "بدهی را ثبت می‌کند",
        "records_instalments" => "تاریخ اقساط را ثبت می‌کند",
        _ => "فقط دانشجویان دوره شبانه",
    },
    add_office: "افزودن واحد",
    remove: "حذف",
    move_up: "بالا بردن",
    move_down: "پایین بردن",
    office_n: |i| format!("واحد {}", rules::digits::to_persian_digits(&i.to_string())),

    notifications_title: "پیامک‌های فرستاده‌شده",
    message: "متن",
    created_at: "زمان ساخت",
    sent_at: "زمان ارسال",
    attempts: "تلاش‌ها",
    last_error: "آخرین خطا",
    not_sent: "ارسال نشده",

    audit_title: "بررسی زنجیره رویدادها",
    audit_intro: "چکیده هر ردیف سابقه با ردیف پیش از آن زنجیر شده است؛ این بررسی همه زنجیره‌ها را دوباره حساب می‌کند.",
    run_verify: "اجرای بررسی",
    audit_ok: |requests, rows| {
        format!(
            "زنجیره سالم است: {} درخواست، {} ردیف.",
            rules::digits::to_persian_digits(&requests.to_string()),
            rules::digits::to_persian_digits(&rows.to_string())
        )
    },
    audit_broken: |n| {
        format!(
            "{} ردیف خراب پیدا شد.",
            rules::digits::to_persian_digits(&n.to_string())
        )
    },
    reason: "علت",

    field: |name| {
        Some(match name {
            "editable" => "آیا متقاضی می‌تواند درخواست را ویرایش کند؟",
            "debt_rials" => "بدهی دانشجو (ریال)",
            "instalments_start" => "تاریخ نخستین قسط",
            "instalments_end" => "تاریخ آخرین قسط",
            "note" => "یادداشت",
            "national_id" => "کد ملی",
            "event" => "رویداد",
            "event_date" => "تاریخ رویداد",
            _ => return None,
        })
    },
};

pub static EN: StaffTexts = StaffTexts {
    app_name: "Pishkhan staff",
    loading: "Loading…",
    network: "No answer from the server; check the connection and try again.",
    not_for_role: "This part is not for your role.",
    signed_in_as: "Signed in:",
    logout: "Sign out",
    nav_label: "Sections",
    nav_cartable: "Cartable",
    nav_new: "File an exemption",
    nav_art34: "Article 34",
    nav_users: "Users",
    nav_offices: "Clearance offices",
    nav_notifications: "SMS log",
    nav_audit: "Audit chain",
    save: "Save",
    saved: "Saved.",
    cancel: "Cancel",
    yes: "Yes",
    no: "No",

    login_title: "Staff sign-in",
    username: "Username",
    password: "Password",
    sign_in: "Sign in",
    locked: |s| {
        format!(
            "The account is locked after repeated failures; try again in {} minutes.",
            s.div_ceil(60).max(1)
        )
    },
    rate_limited: |s| format!("Too many sign-in attempts; try again in {s} seconds."),

    all: "All",
    states_label: "State",
    process_label: "Process",
    search_label: "Search by tracking code or national ID",
    search_hint: "Digits in any script; hyphens are not needed.",
    search: "Search",
    tracking_code: "Tracking code",
    national_id: "National ID",
    state: "State",
    submitted: "Submitted",
    updated: "Last change",
    empty_cartable: "There are no requests in your cartable.",
    showing: |n, total| format!("{n} of {total} requests"),

    process: "Process",
    mobile: "Mobile",
    answers_heading: "The request's answers",
    attachments_heading: "Attachments",
    deadlines_heading: "Deadlines",
    revocation_deadline: "Revocation possible until",
    final_ruling_from: "Final ruling from",
    audit_heading: "History",
    actor: "By",
    note: "Note",
    row_hash: "Hash",
    actions_heading: "Your actions",
    no_actions: "This request is not at your step now.",
    confirm_action: "Record the action",
    moved: |state| format!("Action recorded. The state is now: {state}"),
    stale: "Someone else moved this request before you. Reload it and decide again.",
    reload: "Reload",
    bytes: |n| format!("{} KB", n.div_ceil(1024)),

    new_title: "File an educational exemption (police e-services office)",
    new_intro: "Enter the student's answers as on the request form. The request starts as \"Registered\".",
    file_request: "File the request",

    art34_title: "Article 34 list",
    art34_intro: |today| format!("Soonest deadline first. Today: {today}"),
    download_csv: "Download CSV",
    event: "Event",
    event_date: "Event date",
    present_by: "Present by",
    overdue: "Overdue",
    no_rows: "No rows.",
    record_event: "Record an expulsion, dropout or graduation",
    record: "Record",
    recorded: "Recorded.",
    event_name: |id| match id {
        "expulsion" => "Expulsion",
        "dropout" => "Dropout",
        "graduation" => "Graduation",
        _ => "",
    },

    users_title: "Users",
    add_user: "Add a user",
    display_name: "Display name",
    role: "Role",
    scope: "Scope",
    scope_hint: "* for everything, or the university, county or faculty name exactly as requests carry it.",
    active: "Active",
    disabled: "Disabled",
    locked_until: "Locked until",
    enable: "Enable",
    disable: "Disable",
    new_password: "New password",
    set_password: "Set password",
    create: "Add",

    offices_title: "Clearance offices",
    offices_intro: "The list's order is the order a clearance passes through. Press \"Save\" after changing it.",
    office_id: "Id",
    name_fa: "Persian name",
    name_en: "English name",
    flag: |f| match f {
        "receives_student_card" => "Receives the student card",
        "records_debt" => "Records the debt",
        "records_instalments" => "Records instalment dates",
        _ => "Evening-course students only",
    },
    add_office: "Add an office",
    remove: "Remove",
    move_up: "Move up",
    move_down: "Move down",
    office_n: |i| format!("Office {i}"),

    notifications_title: "SMS sent",
    message: "Text",
    created_at: "Created",
    sent_at: "Sent",
    attempts: "Attempts",
    last_error: "Last error",
    not_sent: "Not sent",

    audit_title: "Audit chain verification",
    audit_intro: "Each history row's hash is chained to the row before; this recomputes every chain.",
    run_verify: "Run the verification",
    audit_ok: |requests, rows| format!("The chain is intact: {requests} requests, {rows} rows."),
    audit_broken: |n| format!("{n} broken rows found."),
    reason: "Reason",

    field: |name| {
        Some(match name {
            "editable" => "May the applicant edit the request?",
            "debt_rials" => "The student's debt (rials)",
            "instalments_start" => "First instalment date",
            "instalments_end" => "Last instalment date",
            "note" => "Note",
            "national_id" => "National ID",
            "event" => "Event",
            "event_date" => "Event date",
            _ => return None,
        })
    },
};
