//! Tryout's web app: the staff pages, the candidate portal, and the server functions behind
//! them. Compiled twice: with `ssr` into the server, with `hydrate` into the browser bundle.

#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use pages::account::AccountPage;
use pages::audit::AuditLogPage;
use pages::branding::BrandingPage;
use pages::candidates::CandidatesPage;
use pages::content_step::ContentStepPage;
use pages::forgot_password::ForgotPasswordPage;
use pages::home::HomePage;
use pages::integration::IntegrationPage;
use pages::job_settings::JobSettingsPage;
use pages::jobs::JobsPage;
use pages::mailbox::MailboxPage;
use pages::mailbox_email::MailboxEmailPage;
use pages::not_found::NotFoundPage;
use pages::portal::PortalPage;
use pages::portal_editor::PortalEditorPage;
use pages::portal_preview::PortalPreviewPage;
use pages::quiz::QuizPage;
use pages::reset_password::ResetPasswordPage;
use pages::review::ReviewPage;
use pages::sign_in::SignInPage;
use pages::sign_in_link::{SignInLinkPage, SignInLinkRequestPage};
use pages::staff::StaffPage;
use pages::welcome::WelcomePage;

/// Renders the HTML document around the app on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Routes every page. Each renders in async mode: the server waits for the page's data
/// before sending headers, so sign-in redirects and error statuses work without JavaScript.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Stylesheet id="leptos" href="/pkg/tryout.css"/>
        <Title formatter=|page: String| if page.is_empty() { "Tryout".to_string() } else { format!("{page} · Tryout") }/>
        <Router>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async/>
                <Route path=path!("/sign-in/link") view=SignInLinkRequestPage ssr=SsrMode::Async/>
                <Route path=path!("/sign-in/link/:token") view=SignInLinkPage ssr=SsrMode::Async/>
                <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/reset-password/:token") view=ResetPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/welcome/:token") view=WelcomePage ssr=SsrMode::Async/>
                <Route path=path!("/staff") view=StaffPage ssr=SsrMode::Async/>
                <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                <Route path=path!("/jobs") view=JobsPage ssr=SsrMode::Async/>
                <Route path=path!("/jobs/:role_id/candidates") view=CandidatesPage ssr=SsrMode::Async/>
                <Route path=path!("/jobs/:role_id/candidates/:application_id") view=ReviewPage ssr=SsrMode::Async/>
                <Route path=path!("/jobs/:role_id/settings") view=JobSettingsPage ssr=SsrMode::Async/>
                <Route path=path!("/jobs/:role_id/portal") view=PortalEditorPage ssr=SsrMode::Async/>
                <Route path=path!("/jobs/:role_id/preview") view=PortalPreviewPage ssr=SsrMode::Async/>
                <Route path=path!("/audit") view=AuditLogPage ssr=SsrMode::Async/>
                <Route path=path!("/branding") view=BrandingPage ssr=SsrMode::Async/>
                <Route path=path!("/integration") view=IntegrationPage ssr=SsrMode::Async/>
                <Route path=path!("/mailbox") view=MailboxPage ssr=SsrMode::Async/>
                <Route path=path!("/mailbox/:email_id") view=MailboxEmailPage ssr=SsrMode::Async/>
                <Route path=path!("/c/:token") view=PortalPage ssr=SsrMode::Async/>
                <Route path=path!("/c/:token/content/:step_id") view=ContentStepPage ssr=SsrMode::Async/>
                <Route path=path!("/c/:token/quiz/:step_id") view=QuizPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
