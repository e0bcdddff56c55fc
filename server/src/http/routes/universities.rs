//! `GET /api/v1/universities`: the universities an exemption chooses from (public: the forms
//! read it before anyone signs in).

use api::common::Universities;
use axum::extract::State;
use axum::Json;

use crate::domain::universities::University;
use crate::http::error::ApiError;
use crate::http::state::AppState;

/// `GET /api/v1/universities` → `{universities: [{code, name_fa, name_en}]}`, the default first.
pub async fn list(State(state): State<AppState>) -> Result<Json<Universities>, ApiError> {
    let universities = state
        .store
        .universities()
        .await?
        .into_iter()
        .map(University::entry)
        .collect();
    Ok(Json(Universities { universities }))
}
