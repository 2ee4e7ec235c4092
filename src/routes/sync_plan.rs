//! A plan of the workspace, shown row by row with every request, and applied row by row with
//! progress: a 429's Retry-After is waited out before the next row, nothing is resent by itself,
//! and the failed rows can be retried, each from the call where it stopped.

use std::collections::{BTreeMap, HashMap};

use hookpanel_core::Secret;
use hookpanel_core::sync::{self, ConnectionPlan, Row, SecretKey};
use leptos::prelude::*;

use super::sync::change_text;
use crate::sync::{RowRun, apply_row, wait_out};
use crate::widgets::plural;
use crate::workspace::Workspace;

/// Plans made, with where each row stands and the secrets typed for them (in memory only).
#[derive(Clone, Copy)]
pub struct Planned {
    pub plans: StoredValue<Vec<ConnectionPlan>>,
    /// By plan, then row: a signal each, so a row's change redraws that row alone (one signal
    /// for all made every row re-read the whole table on every answer: quadratic over a bulk
    /// change of thousands).
    pub runs: StoredValue<Vec<Vec<RwSignal<RowRun>>>>,
    /// Rows failed or skipped by the last apply, and those a retry would send, counted when it
    /// ends.
    pub failed: RwSignal<(usize, usize)>,
    /// By plan and pointer: typed once for every row of the connection that lacks it.
    pub secrets: RwSignal<HashMap<(usize, String), String>>,
}

impl Planned {
    pub fn new(plans: Vec<ConnectionPlan>) -> Self {
        let runs = plans
            .iter()
            .map(|p| {
                p.rows
                    .iter()
                    .map(|_| RwSignal::new(RowRun::Waiting))
                    .collect()
            })
            .collect();
        Planned {
            plans: StoredValue::new(plans),
            runs: StoredValue::new(runs),
            failed: RwSignal::new((0, 0)),
            secrets: RwSignal::new(HashMap::new()),
        }
    }

    fn set_run(&self, plan: usize, row: usize, run: RowRun) {
        self.runs.with_value(|r| r[plan][row].set(run));
    }

    fn run_of(&self, plan: usize, row: usize) -> RwSignal<RowRun> {
        self.runs.with_value(|r| r[plan][row])
    }

    /// The rows that did not go through (failed or skipped), and of those the ones a retry would
    /// send again: a row whose create may have happened has no call left to send.
    fn count_failed(&self, retryable: bool) -> usize {
        self.plans.with_value(|plans| {
            self.runs.with_value(|runs| {
                plans
                    .iter()
                    .zip(runs)
                    .flat_map(|(plan, runs)| plan.rows.iter().zip(runs))
                    .filter(|(row, run)| {
                        run.with_untracked(|run| match run {
                            RowRun::Failed { next_call, .. } => {
                                !retryable || *next_call < row.calls.len()
                            }
                            RowRun::Skipped(_) => true,
                            _ => false,
                        })
                    })
                    .count()
            })
        })
    }
}

/// The plan, when there is one.
#[component]
pub fn PlanView(
    /// The plan made by an import or a bulk change.
    planned: RwSignal<Option<Planned>>,
) -> impl IntoView {
    move || planned.get().map(|p| view! { <PlanBody p/> })
}

/// What an apply did, for the summary line.
#[derive(Clone, Debug, Default)]
struct Tally {
    sent: usize,
    waited_s: u64,
    ms: f64,
}

/// Every connection's rows, the secrets asked for, and the apply controls.
#[component]
fn PlanBody(
    /// The plan.
    p: Planned,
) -> impl IntoView {
    let ws = Workspace::expect_context();
    let progress = RwSignal::new(None::<String>);
    let running = RwSignal::new(false);
    let tally = RwSignal::new(None::<Tally>);
    let changes: usize = p.plans.with_value(|plans| {
        plans
            .iter()
            .map(|pl| pl.rows.iter().filter(|r| can_change(r)).count())
            .sum()
    });
    let blocked: usize = p.plans.with_value(|plans| {
        plans
            .iter()
            .map(|pl| pl.rows.iter().filter(|r| r.blocked.is_some()).count())
            .sum()
    });
    let apply = move |only_failed: bool| {
        running.set(true);
        tally.set(None);
        leptos::task::spawn_local(async move {
            let started = js_sys::Date::now();
            let mut t = Tally::default();
            let plans = p.plans.get_value();
            let mut done = 0;
            for (pi, plan) in plans.iter().enumerate() {
                let mut plan = plan.clone();
                let values: BTreeMap<SecretKey, Secret> = p.secrets.with_untracked(|s| {
                    s.iter()
                        .filter(|((i, _), v)| *i == pi && !v.trim().is_empty())
                        .map(|((_, ptr), v)| {
                            (SecretKey::Pointer(ptr.clone()), Secret::new(v.clone()))
                        })
                        .collect()
                });
                sync::with_secrets(&mut plan, &values);
                let entry = ws.connection_untracked(&plan.connection_id);
                for (ri, row) in plan.rows.iter().enumerate().filter(|(_, r)| can_change(r)) {
                    let state = p.run_of(pi, ri).get_untracked();
                    let (from, created) = match state {
                        RowRun::Done(_) => continue,
                        RowRun::Failed { next_call, .. } if next_call >= row.calls.len() => {
                            continue;
                        }
                        RowRun::Failed {
                            next_call, created, ..
                        } => (next_call, created),
                        _ if only_failed => continue,
                        _ => (0, None),
                    };
                    done += 1;
                    let Some(entry) = entry.clone() else {
                        p.set_run(
                            pi,
                            ri,
                            RowRun::Skipped("The connection is no longer on this device.".into()),
                        );
                        continue;
                    };
                    if let Some(why) = skip_reason(row) {
                        p.set_run(pi, ri, RowRun::Skipped(why));
                        continue;
                    }
                    progress.set(Some(format!("Applying change {done} of {changes}…")));
                    p.set_run(pi, ri, RowRun::Running);
                    let (run, sent) = apply_row(ws, &entry, row, from, created).await;
                    t.sent += sent;
                    let wait = match &run {
                        RowRun::Failed { retry_after, .. } => *retry_after,
                        _ => None,
                    };
                    p.set_run(pi, ri, run);
                    if let Some(seconds) = wait {
                        t.waited_s += seconds;
                        wait_out(seconds, move |left| {
                            progress.set(left.map(|s| format!("The vendor limited the rate: waiting {s} s before the next change…")));
                        })
                        .await;
                    }
                }
            }
            t.ms = js_sys::Date::now() - started;
            progress.set(None);
            p.failed.set((p.count_failed(false), p.count_failed(true)));
            tally.set(Some(t));
            running.set(false);
        });
    };
    let failed_rows = move || p.failed.get().0;
    let retryable_rows = move || p.failed.get().1;
    let sections = p
        .plans
        .get_value()
        .into_iter()
        .enumerate()
        .map(|(pi, plan)| view! { <PlanSection p pi plan/> })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="plan-title" data-testid="plan">
            <h2 id="plan-title">"Plan"</h2>
            {if changes == 0 {
                view! { <p class="status ok" data-testid="no-changes">"No changes: the live state is what the file says."</p> }.into_any()
            } else {
                view! { <p data-testid="plan-summary">{format!("{} to make. Nothing is sent until you apply.", plural(changes, "change"))}</p> }.into_any()
            }}
            {(blocked != 0).then(|| view! {
                <p class="note" data-testid="plan-blocked">{format!("{} cannot be made through the vendor's API: each says where to make it instead.", plural(blocked, "change"))}</p>
            })}
            {sections}
            <Show when=move || changes != 0>
                <p class="row">
                    <button type="button" class="primary" data-testid="apply" disabled=move || running.get()
                        on:click=move |_| apply(false)>"Apply"</button>
                    <Show when=move || retryable_rows() != 0 && !running.get()>
                        <button type="button" data-testid="retry-failed" on:click=move |_| apply(true)>
                            {move || format!("Retry the {}", plural(retryable_rows(), "failed row"))}
                        </button>
                    </Show>
                </p>
            </Show>
            <p role="status" aria-live="polite" data-testid="apply-progress">{move || progress.get()}</p>
            {move || tally.get().map(|t| view! {
                <p role="status" data-testid="apply-summary">
                    {format!(
                        "Sent {} in {:.1} s{}; {}.",
                        plural(t.sent, "request"),
                        t.ms / 1000.0,
                        if t.waited_s > 0 { format!(", {} s of it waiting out rate limits", t.waited_s) } else { String::new() },
                        match failed_rows() { 0 => "every change was made".to_string(), n => format!("{} did not go through: see each row", plural(n, "change")) }
                    )}
                </p>
            })}
        </section>
    }
}

/// A row that changes something the vendor's API can change.
fn can_change(row: &Row) -> bool {
    row.is_change() && row.blocked.is_none()
}

fn skip_reason(row: &Row) -> Option<String> {
    (!row.missing_secrets.is_empty()).then(|| {
        format!(
            "Not sent: it needs {}; fill it in above.",
            row.missing_secrets.join(", ")
        )
    })
}

/// One connection's rows, the secrets it lacks, and its requests.
#[component]
fn PlanSection(
    /// The plans and their state.
    p: Planned,
    /// Which plan.
    pi: usize,
    /// The connection's plan.
    plan: ConnectionPlan,
) -> impl IntoView {
    let counts = plan
        .counts()
        .into_iter()
        .map(|(k, n)| format!("{n} {}", k.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let text = sync::plan_text(&plan);
    let missing = plan
        .missing_secrets()
        .into_iter()
        .map(|pointer| {
            let id = format!("secret-{pi}-{}", pointer.trim_start_matches('/').replace(['/', '~'], "-"));
            let key = (pi, pointer.clone());
            let key2 = key.clone();
            view! {
                <div class="field">
                    <label class="label" for=id.clone()>{format!("Secret for {pointer} (every new webhook of this connection that lacks it)")}</label>
                    <input id=id.clone() data-testid=id type="password" autocomplete="off" spellcheck="false"
                        prop:value=move || p.secrets.with(|s| s.get(&key).cloned().unwrap_or_default())
                        on:input=move |ev| { let v = event_target_value(&ev); p.secrets.update(|s| { s.insert(key2.clone(), v); }); }/>
                    <p class="help">"Masked; kept in memory only, never stored or exported."</p>
                </div>
            }
        })
        .collect_view();
    let shown = plan
        .rows
        .iter()
        .filter(|r| r.is_change() || r.blocked.is_some())
        .count();
    let rows = plan
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_change() || r.blocked.is_some())
        .map(|(ri, row)| row_view(p, pi, ri, row))
        .collect_view();
    view! {
        <div class="plan-connection" data-testid=format!("plan:{}", plan.connection_id)>
            <h3>{format!("{} ({})", plan.name, plan.vendor.display_name())}</h3>
            <p class="muted" data-testid="plan-counts">{counts}</p>
            {missing}
            {if shown == 0 {
                view! { <p class="muted">"Nothing to change here."</p> }.into_any()
            } else {
                view! {
                    <table class="plan-rows">
                        <thead><tr><th scope="col">"Change"</th><th scope="col">"Webhook"</th><th scope="col">"Outcome"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            }}
            <details open>
                <summary>"Every request, in order"</summary>
                <pre data-testid="plan-text">{text}</pre>
            </details>
        </div>
    }
}

fn row_view(p: Planned, pi: usize, ri: usize, row: &Row) -> impl IntoView + use<> {
    let kind = row.kind.as_str();
    let changes = row
        .changes
        .iter()
        .map(|c| view! { <li><code>{c.pointer.clone()}</code>": "{change_text(c)}</li> })
        .collect_view();
    let emulated = row
        .calls
        .iter()
        .filter_map(|c| c.emulated.map(|s| view! { <li class="muted">{format!("Emulated {}: {s}", c.action.as_str())}</li> }))
        .collect_view();
    let blocked = row.blocked.clone();
    let run = p.run_of(pi, ri);
    let outcome = move || match run.get() {
        RowRun::Waiting => blocked.clone().unwrap_or_default(),
        RowRun::Running => "Sending…".to_string(),
        RowRun::Done(text) => text,
        RowRun::Failed { message, next, .. } => format!("Failed: {message} {next}"),
        RowRun::Skipped(why) => why,
    };
    let is_blocked = row.blocked.is_some();
    let state = move || match run.get() {
        RowRun::Waiting if is_blocked => "blocked",
        RowRun::Waiting => "waiting",
        RowRun::Running => "running",
        RowRun::Done(_) => "done",
        RowRun::Failed { .. } => "failed",
        RowRun::Skipped(_) => "skipped",
    };
    view! {
        <tr data-testid="plan-row" data-kind=kind data-state=state>
            <td><span class=format!("state {kind}")>{kind}</span></td>
            <td>{row.label.clone()}<ul class="changes">{changes}{emulated}</ul></td>
            <td data-testid="row-state">{outcome}</td>
        </tr>
    }
}
