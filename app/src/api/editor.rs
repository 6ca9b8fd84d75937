//! The portal editor's server functions. Anyone who may view a job may read its portal;
//! changing it takes the Edit permission on that job. Every change lands in the role's draft
//! version (created on the first change after publishing) and returns the whole editor, so
//! the page always shows the ids the draft now uses.

use leptos::prelude::*;

use crate::domain::editor::{Direction, PortalEditor, QuestionInput, StepInput};
use crate::domain::portal::{PortalPreview, StepKind};
use crate::error::AppError;
#[allow(
    unused_imports,
    reason = "named by `input = Json` in the server macros"
)]
use leptos::server_fn::codec::Json;

/// Loads job `role_id`'s portal as the editor shows it: the draft if there is one, else the
/// published version.
#[server(prefix = "/api", endpoint = "load_portal_editor")]
pub async fn load_portal_editor(role_id: String) -> Result<PortalEditor, AppError> {
    use crate::ssr::authz::{require_staff, JobPermission};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            let state = app_state()?;
            let job = staff
                .require_job(&state.db, &role_id, JobPermission::View)
                .await?;
            session::load(&state, &staff, &job).await
        }
        .await,
    )
}

/// Appends a step of `kind` to the draft.
#[server(prefix = "/api", endpoint = "add_portal_step", input = Json)]
pub async fn add_portal_step(role_id: String, kind: StepKind) -> Result<PortalEditor, AppError> {
    use crate::ssr::editor::store;

    super::with_status(
        async {
            let mut edit = session::begin(&role_id).await?;
            let step_id = store::add_step(
                &mut edit.transaction,
                &edit.staff.organization_id,
                &role_id,
                &edit.draft.version_id,
                kind,
            )
            .await?;
            tracing::info!(role.id = %role_id, step.id = %step_id, step.kind = kind.as_str(), "portal step added");
            edit.finish().await
        }
        .await,
    )
}

/// Saves a step's title, text, requirement and the settings of its kind.
#[server(prefix = "/api", endpoint = "save_portal_step", input = Json)]
pub async fn save_portal_step(role_id: String, step: StepInput) -> Result<PortalEditor, AppError> {
    use crate::ssr::editor::{store, validate};
    use crate::ssr::uploads::find_upload;

    super::with_status(
        async {
            let mut edit = session::begin(&role_id).await?;
            let organization_id = edit.staff.organization_id.clone();
            let step_id = edit.draft.current_id(&step.step_id).to_owned();
            let stored = store::draft_step(
                &mut edit.transaction,
                &organization_id,
                &edit.draft.version_id,
                &step_id,
            )
            .await?;

            let upload = match step.video_upload_id.as_deref() {
                Some(upload_id) => Some(
                    find_upload(&mut *edit.transaction, &organization_id, &role_id, upload_id)
                        .await?
                        .ok_or_else(|| {
                            AppError::invalid(
                                "video_file",
                                "That uploaded video is not on this job any more. Upload the file again.",
                            )
                        })?,
                ),
                None => None,
            };
            let valid = validate::validate_step(stored.kind()?, &step, upload.as_ref())?;
            store::update_step(
                &mut edit.transaction,
                &organization_id,
                &edit.draft.version_id,
                &step_id,
                &valid,
            )
            .await?;
            edit.finish().await
        }
        .await,
    )
}

/// Moves a step one place up or down.
#[server(prefix = "/api", endpoint = "move_portal_step", input = Json)]
pub async fn move_portal_step(
    role_id: String,
    step_id: String,
    direction: Direction,
) -> Result<PortalEditor, AppError> {
    use crate::ssr::editor::store;

    super::with_status(
        async {
            let mut edit = session::begin(&role_id).await?;
            let organization_id = edit.staff.organization_id.clone();
            let step_id = edit.draft.current_id(&step_id).to_owned();
            store::move_step(
                &mut edit.transaction,
                &organization_id,
                &edit.draft.version_id,
                &step_id,
                direction,
            )
            .await?;
            edit.finish().await
        }
        .await,
    )
}

/// Removes a step and its questions from the draft.
#[server(prefix = "/api", endpoint = "remove_portal_step", input = Json)]
pub async fn remove_portal_step(
    role_id: String,
    step_id: String,
) -> Result<PortalEditor, AppError> {
    use crate::ssr::editor::store;

    super::with_status(
        async {
            let mut edit = session::begin(&role_id).await?;
            let organization_id = edit.staff.organization_id.clone();
            let step_id = edit.draft.current_id(&step_id).to_owned();
            store::remove_step(
                &mut edit.transaction,
                &organization_id,
                &edit.draft.version_id,
                &step_id,
            )
            .await?;
            tracing::info!(role.id = %role_id, step.id = %step_id, "portal step removed");
            edit.finish().await
        }
        .await,
    )
}

/// Adds a question to quiz step `step_id` (when `question.question_id` is absent) or
/// changes one of its questions.
#[server(prefix = "/api", endpoint = "save_quiz_question", input = Json)]
pub async fn save_quiz_question(
    role_id: String,
    step_id: String,
    question: QuestionInput,
) -> Result<PortalEditor, AppError> {
    use crate::ssr::editor::{store, validate};

    super::with_status(
        async {
            let mut edit = session::begin(&role_id).await?;
            let organization_id = edit.staff.organization_id.clone();
            let step_id = edit.draft.current_id(&step_id).to_owned();
            let step = store::draft_step(&mut edit.transaction, &organization_id, &edit.draft.version_id, &step_id).await?;
            if step.kind()? != StepKind::Quiz {
                return Err(AppError::invalid("step_id", "Questions belong in a quiz step. Add a quiz step first."));
            }

            let valid = validate::validate_question(&question, step.time_limit_secs)?;
            let question_id = question.question_id.as_deref().map(|id| edit.draft.current_id(id).to_owned());
            let saved = store::save_question(&mut edit.transaction, &organization_id, &step_id, question_id.as_deref(), &valid).await?;
            tracing::info!(role.id = %role_id, step.id = %step_id, question.id = %saved, "quiz question saved");
            edit.finish().await
        }
        .await,
    )
}

/// Moves a question one place up or down within its quiz.
#[server(prefix = "/api", endpoint = "move_quiz_question", input = Json)]
pub async fn move_quiz_question(
    role_id: String,
    question_id: String,
    direction: Direction,
) -> Result<PortalEditor, AppError> {
    use crate::ssr::editor::store;

    super::with_status(
        async {
            let mut edit = session::begin(&role_id).await?;
            let organization_id = edit.staff.organization_id.clone();
            let question_id = edit.draft.current_id(&question_id).to_owned();
            let step_id = store::question_step(
                &mut edit.transaction,
                &organization_id,
                &edit.draft.version_id,
                &question_id,
            )
            .await?;
            store::move_question(
                &mut edit.transaction,
                &organization_id,
                &step_id,
                &question_id,
                direction,
            )
            .await?;
            edit.finish().await
        }
        .await,
    )
}

/// Removes a question from its quiz.
#[server(prefix = "/api", endpoint = "remove_quiz_question", input = Json)]
pub async fn remove_quiz_question(
    role_id: String,
    question_id: String,
) -> Result<PortalEditor, AppError> {
    use crate::ssr::editor::store;

    super::with_status(
        async {
            let mut edit = session::begin(&role_id).await?;
            let organization_id = edit.staff.organization_id.clone();
            let question_id = edit.draft.current_id(&question_id).to_owned();
            let step_id = store::question_step(
                &mut edit.transaction,
                &organization_id,
                &edit.draft.version_id,
                &question_id,
            )
            .await?;
            store::remove_question(
                &mut edit.transaction,
                &organization_id,
                &step_id,
                &question_id,
            )
            .await?;
            edit.finish().await
        }
        .await,
    )
}

/// Loads job `role_id`'s portal as a candidate would see it, from the version the editor
/// shows. Nothing is created: no application, no progress, no answers.
#[server(prefix = "/api", endpoint = "load_portal_preview")]
pub async fn load_portal_preview(role_id: String) -> Result<PortalPreview, AppError> {
    use crate::ssr::authz::{require_staff, JobPermission};
    use crate::ssr::editor::preview::build_preview;
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            let state = app_state()?;
            staff
                .require_job(&state.db, &role_id, JobPermission::View)
                .await?;
            build_preview(&state.db, &staff.organization_id, &role_id).await
        }
        .await,
    )
}

/// Shared parts of the editor's functions: the caller check, the transaction on the draft,
/// and building the response.
#[cfg(feature = "ssr")]
mod session {
    use sqlx::{Any, Transaction};

    use crate::domain::editor::{PortalEditor, VersionState};
    use crate::error::AppError;
    use crate::ssr::authz::{job_refusal, require_staff, JobAccess, JobPermission, StaffContext};
    use crate::ssr::editor::load::version_steps;
    use crate::ssr::editor::publish::publish_refusal;
    use crate::ssr::state::{app_state, AppState};
    use crate::ssr::versions::{editable_version, ensure_draft, version_with_status, Draft};

    /// A change in progress: the checked caller, the open transaction and the draft it edits.
    pub struct Edit {
        pub staff: StaffContext,
        pub job: JobAccess,
        pub state: AppState,
        pub transaction: Transaction<'static, Any>,
        pub draft: Draft,
    }

    /// Checks that the caller may edit job `role_id`, then opens a transaction on its draft.
    pub async fn begin(role_id: &str) -> Result<Edit, AppError> {
        let staff = require_staff().await?;
        let state = app_state()?;
        let job = staff
            .require_job(&state.db, role_id, JobPermission::Edit)
            .await?;

        let mut transaction = state.db.begin().await?;
        let draft = ensure_draft(&mut transaction, &staff.organization_id, role_id).await?;
        Ok(Edit {
            staff,
            job,
            state,
            transaction,
            draft,
        })
    }

    impl Edit {
        /// Commits the change and returns the editor with it applied.
        pub async fn finish(self) -> Result<PortalEditor, AppError> {
            self.transaction.commit().await?;
            load(&self.state, &self.staff, &self.job).await
        }
    }

    /// Builds the editor for `job`: its editable version, the version candidates get now,
    /// and whether the caller may change it.
    pub async fn load(
        app: &AppState,
        staff: &StaffContext,
        job: &JobAccess,
    ) -> Result<PortalEditor, AppError> {
        let organization_id = &staff.organization_id;
        let mut connection = app.db.acquire().await?;

        let job_status: String =
            sqlx::query_scalar("SELECT status FROM roles WHERE id = $1 AND organization_id = $2")
                .bind(&job.role_id)
                .bind(organization_id)
                .fetch_one(&mut *connection)
                .await?;
        let published =
            version_with_status(&mut connection, organization_id, &job.role_id, "published")
                .await?;
        let shown = editable_version(&mut connection, organization_id, &job.role_id).await?;

        let (version_number, state, steps) = match &shown {
            Some(version) => {
                let state = match (version.status.as_str(), &published) {
                    ("published", _) => VersionState::Published,
                    (_, Some(_)) => VersionState::UnpublishedChanges,
                    (_, None) => VersionState::Draft,
                };
                let steps = version_steps(&mut connection, organization_id, &version.id).await?;
                (version.number, state, steps)
            }
            None => (1, VersionState::Draft, Vec::new()),
        };

        let can_edit = staff
            .role
            .allows_on_job(JobPermission::Edit, job.membership);
        let publish_refusal =
            publish_refusal(&mut connection, organization_id, &job.role_id).await?;
        Ok(PortalEditor {
            role_id: job.role_id.clone(),
            role_title: job.title.clone(),
            job_published: job_status == "published",
            version_number,
            state,
            published_version_number: published.map(|version| version.number),
            steps,
            edit_refusal: (!can_edit)
                .then(|| job_refusal(staff.role, JobPermission::Edit).to_owned()),
            publish_refusal,
            max_video_bytes: app.culture_video_max_bytes,
        })
    }
}
