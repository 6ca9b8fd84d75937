//! The quiz countdown. It only displays the time the server counts: the server rejects
//! answers after the deadline whatever this shows.

use leptos::prelude::*;

/// "mm:ss" (or "h:mm:ss") for a number of milliseconds, rounded up to whole seconds.
pub fn format_remaining(milliseconds: i64) -> String {
    let total = (milliseconds.max(0) + 999) / 1000;
    let (hours, minutes, seconds) = (total / 3600, (total % 3600) / 60, total % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes:02}:{seconds:02}")
    }
}

/// Shows `remaining_ms` as a timer; the quiz page owns the signal and keeps it in step.
#[component]
pub fn Countdown(remaining_ms: RwSignal<i64>) -> impl IntoView {
    let low = move || remaining_ms.get() <= 60_000;

    view! {
        <p class="countdown" class:countdown-low=low>
            <span class="countdown-label">"Time left "</span>
            <span role="timer" aria-live="off">{move || format_remaining(remaining_ms.get())}</span>
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::format_remaining;

    #[test]
    fn remaining_time_rounds_up_to_seconds() {
        assert_eq!(format_remaining(900_000), "15:00");
        assert_eq!(format_remaining(61_001), "01:02");
        assert_eq!(format_remaining(0), "00:00");
        assert_eq!(format_remaining(-5), "00:00");
        assert_eq!(format_remaining(3_600_000), "1:00:00");
    }
}
