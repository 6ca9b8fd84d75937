//! Outgoing email: queueing an email in the caller's transaction, and rendering the emails
//! Tryout sends. The mail worker in the server sends queued emails over SMTP, or puts them
//! in the mailbox page when no SMTP server is configured.
//!
//! A caller queues inside its transaction and, after the commit, wakes the worker:
//!
//! ```ignore
//! let (subject, body_text, body_html) = invitation_email(&organization, &role, &name, &link, deadline);
//! queue_email(&mut *transaction, &NewEmail { /* ... */ }).await?;
//! transaction.commit().await?;
//! state.mail_wakeup.notify_one();
//! ```

mod html;
mod invitation;
mod queue;
mod reminder;
mod staff;

pub use html::{escape_html, html_for_frame};
pub use invitation::{format_deadline, invitation_email, one_line};
pub use queue::{queue_email, NewEmail, INVITATION_KIND, REMINDER_KIND};
pub use reminder::reminder_email;
pub use staff::{
    staff_email, StaffEmail, PASSWORD_RESET_KIND, SIGN_IN_LINK_KIND, STAFF_INVITATION_KIND,
};
