//! QR codes as SVG text (dark on light, with the quiet zone), drawn in the page itself — no
//! image request, nothing the CSP must allow beyond the page's own markup: a request's tracking
//! code, and the staff's authenticator secret at enrolment.

use qrcode::render::svg;
use qrcode::QrCode;

/// `text` as an SVG QR code (empty when it is too long for one).
pub fn qr_svg(text: &str) -> String {
    QrCode::new(text.as_bytes())
        .map(|qr| {
            qr.render::<svg::Color>()
                .min_dimensions(160, 160)
                .dark_color(svg::Color("#000000"))
                .light_color(svg::Color("#ffffff"))
                .build()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_codes_are_svg() {
        let svg = qr_svg("1234-5678-9012");
        assert!(svg.starts_with("<?xml") || svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("<path") || svg.contains("<rect"));
        let uri = qr_svg(
            "otpauth://totp/Pishkhan:admin?secret=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&issuer=Pishkhan",
        );
        assert!(uri.contains("<svg"));
    }
}
