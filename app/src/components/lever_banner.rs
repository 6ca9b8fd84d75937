//! The banner every staff page shows while Lever is disconnected: results are kept, who can
//! reconnect, and how many writes wait.

use leptos::prelude::*;

use crate::domain::integration::LeverBanner;

/// Renders nothing while Lever is live or was never connected.
#[component]
pub fn DisconnectedBanner(banner: LeverBanner) -> impl IntoView {
    if !banner.disconnected {
        return ().into_any();
    }

    let waiting = match banner.waiting_writes {
        0 => "No writes are waiting.".to_string(),
        1 => "1 write is waiting.".to_string(),
        count => format!("{count} writes are waiting."),
    };
    let reconnect = if banner.can_reconnect {
        view! { " " <a href="/jobs#lever-connection">"Reconnect Lever on the Jobs page."</a> }
            .into_any()
    } else if banner.super_admins.is_empty() {
        " Only a Super Admin can reconnect it, and this organization has no active Super Admin."
            .into_any()
    } else {
        format!(
            " A Super Admin can reconnect it: {}.",
            banner.super_admins.join(", ")
        )
        .into_any()
    };

    view! {
        <div class="lever-banner" role="status">
            <p><strong>"Lever is disconnected: results are kept and will be sent when it is reconnected."</strong></p>
            <p>{waiting}{reconnect}</p>
        </div>
    }
    .into_any()
}
