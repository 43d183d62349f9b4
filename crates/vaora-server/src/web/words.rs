//! Every word the server-rendered pages show, in Vietnamese first and
//! English. One struct per language, so a missing translation does not
//! compile. Sentences with a number are functions, never concatenation.

use axum::http::HeaderMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

/// The cookie that remembers a chosen language (not personal data).
pub const LANG_COOKIE: &str = "vaora_lang";

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    /// The chosen language (cookie), else the browser's first preference
    /// between the two, else Vietnamese.
    pub fn of_request(headers: &HeaderMap) -> Lang {
        if let Some(lang) = super::cookie(headers, LANG_COOKIE).and_then(Lang::parse) {
            return lang;
        }
        let accept = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let first = accept
            .split(',')
            .map(|part| part.trim().get(..2).unwrap_or("").to_ascii_lowercase())
            .find(|code| code == "vi" || code == "en");
        first.as_deref().and_then(Lang::parse).unwrap_or(Lang::Vi)
    }

    pub fn words(self) -> &'static Words {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

pub struct Words {
    pub console: &'static str,
    pub switch_language: &'static str,
    pub nav_activity: &'static str,
    pub nav_tracing: &'static str,
    pub nav_risky: &'static str,
    pub sign_out: &'static str,
    pub sign_in: &'static str,
    pub token: &'static str,
    pub token_hint: &'static str,
    pub wrong_token: &'static str,
    pub form_expired: &'static str,
    pub storage_unavailable: &'static str,
    pub too_many_requests: &'static str,
    pub check_fields: &'static str,
    pub show: &'static str,
    pub from_day: &'static str,
    pub days: &'static str,
    pub created: &'static str,
    pub active: &'static str,
    pub scans: &'static str,
    pub share_active: &'static str,
    pub dormant: &'static str,
    pub by_province: &'static str,
    pub busiest: &'static str,
    pub day: &'static str,
    pub commune: &'static str,
    pub province: &'static str,
    pub venue_no: &'static str,
    pub name: &'static str,
    pub scans_per_day: &'static str,
    pub created_vs_active: &'static str,
    pub most_active: &'static str,
    pub least_active: &'static str,
    pub as_table: &'static str,
    pub no_scans: &'static str,
    pub tracing_title: &'static str,
    pub venue: &'static str,
    pub start: &'static str,
    pub minutes: &'static str,
    pub widen: &'static str,
    pub search: &'static str,
    pub no_such_venue: &'static str,
    pub bad_window: &'static str,
    pub checked_in: &'static str,
    pub checked_out: &'static str,
    pub entrance: &'static str,
    pub id_number: &'static str,
    pub phone: &'static str,
    pub address: &'static str,
    pub source: &'static str,
    pub source_visit: &'static str,
    pub source_gate: &'static str,
    pub not_declared: &'static str,
    pub no_contacts: &'static str,
    pub download_csv: &'static str,
    pub risky_title: &'static str,
    pub whole_venue: &'static str,
    pub advice_vi: &'static str,
    pub advice_en: &'static str,
    pub advice_hint: &'static str,
    pub advice_too_long: &'static str,
    pub publish: &'static str,
    pub published: &'static str,
    pub recent_risky: &'static str,
    pub window: &'static str,
    pub none_yet: &'static str,
    contacts_found: &'static str,
    more_dormant: &'static str,
    active_of: &'static str,
}

impl Words {
    pub fn contacts_found(&self, n: usize) -> String {
        self.contacts_found.replace("{n}", &n.to_string())
    }

    pub fn more_dormant(&self, n: usize) -> String {
        self.more_dormant.replace("{n}", &n.to_string())
    }

    /// "459 of 8,655 active".
    pub fn active_of(&self, active: usize, created: usize) -> String {
        self.active_of
            .replace("{active}", &active.to_string())
            .replace("{created}", &created.to_string())
    }
}

pub static VI: Words = Words {
    console: "VaoRa — Cơ quan y tế",
    switch_language: "English",
    nav_activity: "Hoạt động",
    nav_tracing: "Truy vết",
    nav_risky: "Địa điểm nguy cơ",
    sign_out: "Đăng xuất",
    sign_in: "Đăng nhập",
    token: "Mã truy cập của cơ quan y tế",
    token_hint: "Lần đầu máy chủ chạy, mã này được ghi vào tệp authority-token.txt trong thư mục dữ liệu.",
    wrong_token: "Mã không đúng, hoặc không phải mã của cơ quan y tế.",
    form_expired: "Biểu mẫu đã hết hạn. Hãy thử lại.",
    storage_unavailable: "Máy chủ tạm thời không đọc được dữ liệu. Hãy thử lại sau ít phút.",
    too_many_requests: "Quá nhiều yêu cầu. Hãy chờ một phút rồi thử lại.",
    check_fields: "Hãy kiểm tra lại các ô đã nhập.",
    show: "Xem",
    from_day: "Từ ngày",
    days: "Số ngày",
    created: "Điểm đã tạo",
    active: "Điểm có dữ liệu",
    scans: "Lượt quét",
    share_active: "Tỷ lệ có dữ liệu",
    dormant: "Điểm chưa có lượt quét nào",
    by_province: "Theo tỉnh, thành phố",
    busiest: "Điểm có nhiều lượt quét nhất",
    day: "Ngày",
    commune: "Xã, phường",
    province: "Tỉnh, thành phố",
    venue_no: "Số",
    name: "Tên",
    scans_per_day: "Lượt quét mỗi ngày",
    created_vs_active: "Điểm đã tạo và điểm có dữ liệu, theo ngày",
    most_active: "Xã, phường hoạt động nhiều nhất",
    least_active: "Xã, phường hoạt động ít nhất",
    as_table: "Xem dạng bảng",
    no_scans: "Chưa có lượt quét nào trong khoảng thời gian này.",
    tracing_title: "Truy vết tiếp xúc",
    venue: "Số địa điểm",
    start: "Bắt đầu (giờ Việt Nam)",
    minutes: "Thời lượng (phút)",
    widen: "Mở rộng mỗi bên (phút)",
    search: "Tìm",
    no_such_venue: "Không có địa điểm hoặc cổng với số này.",
    bad_window: "Khoảng thời gian không hợp lệ.",
    checked_in: "Vào",
    checked_out: "Ra",
    entrance: "Cổng",
    id_number: "Giấy tờ",
    phone: "Điện thoại",
    address: "Địa chỉ",
    source: "Nguồn",
    source_visit: "Điện thoại của người đó",
    source_gate: "Cổng kiểm soát",
    not_declared: "Chưa khai báo",
    no_contacts: "Không có ai ở địa điểm này trong khoảng thời gian đó.",
    download_csv: "Tải tệp CSV",
    risky_title: "Đánh dấu địa điểm có nguy cơ",
    whole_venue: "Để trống: cả địa điểm",
    advice_vi: "Lời khuyên (tiếng Việt)",
    advice_en: "Lời khuyên (tiếng Anh)",
    advice_hint: "Để trống: điện thoại hiện lời khuyên chuẩn.",
    advice_too_long: "Lời khuyên dài quá 500 ký tự.",
    publish: "Đánh dấu và công bố",
    published: "Đã công bố. Điện thoại sẽ nhận trong lần đồng bộ tới.",
    recent_risky: "Công bố gần đây",
    window: "Thời gian",
    none_yet: "Chưa có.",
    contacts_found: "{n} lượt có mặt trùng thời gian",
    more_dormant: "và {n} điểm khác",
    active_of: "{active} trên {created} điểm có dữ liệu",
};

pub static EN: Words = Words {
    console: "VaoRa — Health authority",
    switch_language: "Tiếng Việt",
    nav_activity: "Activity",
    nav_tracing: "Tracing",
    nav_risky: "Risky venues",
    sign_out: "Sign out",
    sign_in: "Sign in",
    token: "Health authority token",
    token_hint: "On its first start the server writes this token to authority-token.txt in its data directory.",
    wrong_token: "This token is wrong, or it is not a health authority token.",
    form_expired: "This form has expired. Please try again.",
    storage_unavailable: "The server cannot read its data right now. Please try again in a few minutes.",
    too_many_requests: "Too many requests. Please wait a minute and try again.",
    check_fields: "Please check the fields you filled in.",
    show: "Show",
    from_day: "From",
    days: "Days",
    created: "Checkpoints created",
    active: "Active checkpoints",
    scans: "Scans",
    share_active: "Share active",
    dormant: "Checkpoints without a single scan",
    by_province: "By province",
    busiest: "Checkpoints with the most scans",
    day: "Day",
    commune: "Commune",
    province: "Province",
    venue_no: "No.",
    name: "Name",
    scans_per_day: "Scans per day",
    created_vs_active: "Checkpoints created and active, per day",
    most_active: "Most active communes",
    least_active: "Least active communes",
    as_table: "Show as a table",
    no_scans: "No scans in this period yet.",
    tracing_title: "Contact tracing",
    venue: "Venue number",
    start: "Start (Vietnam time)",
    minutes: "Length (minutes)",
    widen: "Widen each side (minutes)",
    search: "Search",
    no_such_venue: "There is no venue or entrance with this number.",
    bad_window: "This time window is not valid.",
    checked_in: "In",
    checked_out: "Out",
    entrance: "Entrance",
    id_number: "ID",
    phone: "Phone",
    address: "Address",
    source: "Source",
    source_visit: "Their own phone",
    source_gate: "Gate",
    not_declared: "No declaration",
    no_contacts: "No one was at this venue during that time.",
    download_csv: "Download CSV",
    risky_title: "Mark a risky venue",
    whole_venue: "Empty: the whole venue",
    advice_vi: "Advice (Vietnamese)",
    advice_en: "Advice (English)",
    advice_hint: "Empty: phones show the standard advice.",
    advice_too_long: "The advice is longer than 500 characters.",
    publish: "Mark and publish",
    published: "Published. Phones will get it when they next sync.",
    recent_risky: "Recently published",
    window: "Window",
    none_yet: "None yet.",
    contacts_found: "{n} overlapping stays",
    more_dormant: "and {n} more",
    active_of: "{active} of {created} active",
};
