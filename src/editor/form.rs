//! A form generated from a vendor's schema: one control per field, labelled and explained by the
//! schema's titles and descriptions, each showing its own problems once touched.

use hookpanel_core::edit::{masked_at, unmasked_at};
use hookpanel_core::form::{FieldKind, FieldSpec, fields};
use hookpanel_core::{Operation, Problem, VendorId};
use leptos::prelude::*;
use serde_json::Value;

use super::DraftState;
use crate::widgets::RevealButton;

/// The HTML id of a field's control, from its pointer.
pub fn field_id(pointer: &str) -> String {
    format!("field{}", pointer.replace('/', "-"))
}

/// The form for a vendor's operation.
#[component]
pub fn SchemaForm(
    /// Whose schema.
    vendor: VendorId,
    /// Which of the vendor's schemas.
    operation: Operation,
    /// The draft being edited.
    state: DraftState,
    /// The draft's problems, as validated.
    problems: Memo<Vec<Problem>>,
) -> impl IntoView {
    fields(vendor, operation)
        .into_iter()
        .map(|field| view! { <Field field state problems/> })
        .collect_view()
}

/// One field: label, control, help, and its problems.
#[component]
fn Field(
    /// What the schema says of the field.
    field: FieldSpec,
    /// The draft.
    state: DraftState,
    /// The draft's problems, as validated.
    problems: Memo<Vec<Problem>>,
) -> impl IntoView {
    let id = field_id(&field.pointer);
    let help_id = format!("{id}-help");
    let problems_id = format!("{id}-problems");
    let pointer = field.pointer.clone();
    let mine = {
        let pointer = pointer.clone();
        Memo::new(move |_| {
            if !state.shows(&pointer) {
                return Vec::new();
            }
            let nested = format!("{pointer}/");
            problems.with(|all| {
                all.iter()
                    .filter(|p| p.pointer == pointer || p.pointer.starts_with(&nested))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    };
    let invalid = move || mine.with(|m| m.iter().any(Problem::is_error)).to_string();
    let control = control(
        &field,
        &id,
        &format!("{help_id} {problems_id}"),
        state,
        invalid,
    );
    let required = field
        .required
        .then_some(view! { <span class="required" aria-hidden="true">" *"</span> });
    let is_group = matches!(
        field.kind,
        FieldKind::MultiChoice { .. } | FieldKind::KeyValue { .. }
    );
    let label = if is_group {
        view! { <span class="label" id=format!("{id}-label")>{field.title.clone()}{required}</span> }.into_any()
    } else {
        view! { <label class="label" for=id.clone()>{field.title.clone()}{required}</label> }
            .into_any()
    };
    view! {
        <div class="field" data-testid=format!("field:{pointer}")>
            {label}
            {control}
            <p class="help" id=help_id>{field.description.clone()}</p>
            <ul class="problems" id=problems_id aria-live="polite">
                {move || {
                    mine.get()
                        .into_iter()
                        .map(|p| {
                            view! {
                                <li class=p.severity.as_str() data-testid="field-problem">
                                    {p.message}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

fn text_at(state: DraftState, pointer: &str) -> String {
    state
        .draft
        .with(|d| match hookpanel_core::draft::get(d, pointer) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        })
}

/// The control for a field's kind.
fn control(
    field: &FieldSpec,
    id: &str,
    described_by: &str,
    state: DraftState,
    invalid: impl Fn() -> String + Send + Sync + Copy + 'static,
) -> AnyView {
    let pointer = field.pointer.clone();
    let value = {
        let pointer = pointer.clone();
        move || text_at(state, &pointer)
    };
    let set_text = {
        let pointer = pointer.clone();
        move |text: String| {
            let value = (!text.is_empty()).then_some(Value::String(text));
            state.set_field(&pointer, value);
        }
    };
    match &field.kind {
        FieldKind::Text { format } => {
            let input_type = match format.as_deref() {
                Some("uri") => "url",
                Some("email") => "email",
                _ => "text",
            };
            view! {
                <input
                    type=input_type
                    id=id.to_string()
                    aria-describedby=described_by.to_string()
                    aria-invalid=invalid
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=value
                    on:input=move |ev| set_text(event_target_value(&ev))
                />
            }
            .into_any()
        }
        FieldKind::Secret => {
            let reveal = RwSignal::new(false);
            view! {
                <div class="secret">
                    <input
                        type=move || if reveal.get() { "text" } else { "password" }
                        id=id.to_string()
                        aria-describedby=described_by.to_string()
                        aria-invalid=invalid
                        autocomplete="off"
                        prop:value=value
                        on:input=move |ev| set_text(event_target_value(&ev))
                    />
                    <RevealButton reveal what=field.title.to_lowercase()/>
                </div>
            }
            .into_any()
        }
        FieldKind::Choice { options } => {
            let options = options.clone();
            view! {
                <select
                    id=id.to_string()
                    aria-describedby=described_by.to_string()
                    aria-invalid=invalid
                    prop:value=value
                    on:change=move |ev| set_text(event_target_value(&ev))
                >
                    <option value="">"(not set)"</option>
                    {options.into_iter().map(|o| view! { <option value=o.clone()>{o.clone()}</option> }).collect_view()}
                </select>
            }
            .into_any()
        }
        FieldKind::MultiChoice { options } => {
            multi_choice(&pointer, id, described_by, options.clone(), state)
        }
        FieldKind::Integer => {
            let set = {
                let pointer = pointer.clone();
                move |text: String| {
                    let text = text.trim().to_string();
                    // Text that is not a number is kept as text, so the schema names the problem
                    // and nothing typed is lost.
                    let value = match text.parse::<i64>() {
                        _ if text.is_empty() => None,
                        Ok(n) => Some(Value::from(n)),
                        Err(_) => Some(Value::String(text)),
                    };
                    state.set_field(&pointer, value);
                }
            };
            view! {
                <input
                    type="text"
                    inputmode="numeric"
                    id=id.to_string()
                    aria-describedby=described_by.to_string()
                    aria-invalid=invalid
                    prop:value=value
                    on:input=move |ev| set(event_target_value(&ev))
                />
            }
            .into_any()
        }
        FieldKind::Boolean => {
            let checked = {
                let pointer = pointer.clone();
                move || {
                    state
                        .draft
                        .with(|d| d.pointer(&pointer) == Some(&Value::Bool(true)))
                }
            };
            view! {
                <input
                    type="checkbox"
                    id=id.to_string()
                    aria-describedby=described_by.to_string()
                    prop:checked=checked
                    on:change=move |ev| state.set_field(&pointer, Some(Value::Bool(event_target_checked(&ev))))
                />
            }
            .into_any()
        }
        FieldKind::KeyValue { secret } => {
            key_value(&pointer, id, described_by, field.required, *secret, state)
        }
        FieldKind::TextList { suggestions } if suggestions.is_empty() => {
            text_list(&pointer, id, described_by, state, invalid)
        }
        // The lines hold the whole list, any name the schema admits; the documented names are
        // there to tick as well, folded away so the field stays short on a small screen.
        FieldKind::TextList { suggestions } => {
            let picks = format!("{id}-picks");
            view! {
                {text_list(&pointer, id, described_by, state, invalid)}
                <details class="suggestions">
                    <summary id=format!("{picks}-label")>"Pick from the documented names"</summary>
                    {multi_choice(&pointer, &picks, described_by, suggestions.clone(), state)}
                </details>
            }
            .into_any()
        }
        FieldKind::Json => json_control(&pointer, id, described_by, state, invalid),
    }
}

/// A checkbox per allowed value, with a filter for long lists.
fn multi_choice(
    pointer: &str,
    id: &str,
    described_by: &str,
    options: Vec<String>,
    state: DraftState,
) -> AnyView {
    let filter = RwSignal::new(String::new());
    let pointer = pointer.to_string();
    // A memo of the ticks was measured too: no faster on a 10,000-name draft, and 1.7 KB more of
    // the page.
    let holds = {
        let pointer = pointer.clone();
        move |name: &str| {
            state
                .draft
                .with(|d| hookpanel_core::draft::holds(d, &pointer, name))
        }
    };
    // Of the names offered: a list of suggestions may hold others too, typed.
    let count = {
        let holds = holds.clone();
        let options = options.clone();
        move || {
            let picked = options.iter().filter(|o| holds(o)).count();
            format!("{picked} selected")
        }
    };
    let groups = group_by_prefix(&options);
    let boxes = groups
        .into_iter()
        .map(|(group, members)| {
            let names: Vec<String> = members.iter().map(|(_, o)| o.to_lowercase()).collect();
            let any_visible =
                move || filter.with(|f| names.iter().any(|n| n.contains(&f.to_lowercase())));
            let items = members
                .into_iter()
                .map(|(i, option)| {
                    let box_id = format!("{id}-{i}");
                    let visible = {
                        let option = option.to_lowercase();
                        move || filter.with(|f| option.contains(&f.to_lowercase()))
                    };
                    let checked = {
                        let option = option.clone();
                        let holds = holds.clone();
                        move || holds(&option)
                    };
                    let toggle = {
                        let option = option.clone();
                        let pointer = pointer.clone();
                        move |on: bool| {
                            let list = state.value_at_untracked(&pointer);
                            let value = hookpanel_core::draft::with_name(list, &option, on);
                            state.set_field(&pointer, value);
                        }
                    };
                    view! {
                        <li class:hidden=move || !visible()>
                            <input
                                type="checkbox"
                                id=box_id.clone()
                                prop:checked=checked
                                on:change=move |ev| toggle(event_target_checked(&ev))
                            />
                            <label for=box_id>{option.clone()}</label>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="choice-group" class:hidden=move || !any_visible()>
                    <legend>{group}</legend>
                    <ul class="choice-list">{items}</ul>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <div
            class="choices"
            role="group"
            id=id.to_string()
            aria-labelledby=format!("{id}-label")
            aria-describedby=described_by.to_string()
        >
            <div class="choices-bar">
                <input
                    type="search"
                    class="filter"
                    placeholder="Filter"
                    aria-label="Filter the choices"
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev))
                />
                <span class="count">{count}</span>
            </div>
            {boxes}
        </div>
    }
    .into_any()
}

/// The event names grouped by their first word (`email-sent` and `emailSent` under "email"),
/// in the schema's order; words with a single member go together under "other".
fn group_by_prefix(options: &[String]) -> Vec<(String, Vec<(usize, String)>)> {
    fn prefix(name: &str) -> String {
        let end = name
            .char_indices()
            .skip(1)
            .find(|(_, c)| c.is_uppercase() || matches!(c, '-' | '_' | '.'))
            .map(|(i, _)| i)
            .unwrap_or(name.len());
        name[..end].to_lowercase()
    }
    let mut groups: Vec<(String, Vec<(usize, String)>)> = Vec::new();
    for (i, option) in options.iter().enumerate() {
        let p = prefix(option);
        match groups.iter_mut().find(|(g, _)| *g == p) {
            Some((_, members)) => members.push((i, option.clone())),
            None => groups.push((p, vec![(i, option.clone())])),
        }
    }
    let (mut many, single): (Vec<_>, Vec<_>) = groups.into_iter().partition(|(_, m)| m.len() > 1);
    if many.is_empty() {
        return vec![(
            "all".to_string(),
            single.into_iter().flat_map(|(_, m)| m).collect(),
        )];
    }
    let others: Vec<(usize, String)> = single.into_iter().flat_map(|(_, m)| m).collect();
    if !others.is_empty() {
        many.push(("other".to_string(), others));
    }
    many
}

/// What a control that keeps text of its own (rows, lines, a JSON text) last made of the draft's
/// value: its own text is shown while the draft still holds `seen` there, and the draft's value
/// as soon as anything else changed it (the raw view, "Start over", a restored draft). So the
/// control never writes back a copy older than the draft (issue 11: a header added in the raw
/// JSON was lost when "Add a header" wrote the form's stale rows).
#[derive(Clone, Debug, PartialEq)]
struct Kept<T> {
    seen: Option<Value>,
    own: T,
}

/// One row of the name and value rows: an id for the view, the name, the value.
type KvRow = (u64, String, String);

/// The rows a map of names to values reads as; ids from `first`, in order.
fn rows_of(value: Option<&Value>, first: u64) -> Vec<KvRow> {
    value
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .enumerate()
                .map(|(i, (k, v))| {
                    let v = v
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string());
                    (first + i as u64, k.clone(), v)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Ids of rows read from the draft start here; rows added in the form count up from 0. They
/// never meet: no map has four billion headers.
const FROM_DRAFT: u64 = 1 << 32;

/// Rows of name and value (HTTP headers), with a button to add a row and one to remove each.
/// Header values are secrets: masked in their inputs, with one Show for the group.
fn key_value(
    pointer: &str,
    id: &str,
    described_by: &str,
    required: bool,
    secret: bool,
    state: DraftState,
) -> AnyView {
    let pointer = pointer.to_string();
    let now = {
        let pointer = pointer.clone();
        move || state.value_at(&pointer)
    };
    let initial = state.value_at_untracked(&pointer);
    let kept = RwSignal::new(Kept {
        own: rows_of(initial.as_ref(), FROM_DRAFT),
        seen: initial,
    });
    let next = StoredValue::new(0u64);
    // The rows shown: the control's own while the draft holds what it wrote; else the draft's,
    // followed by the rows the draft cannot hold (no name yet), so nothing typed is lost.
    let rows = Memo::new(move |_| {
        let value = now();
        kept.with(|k| {
            if k.seen == value {
                return k.own.clone();
            }
            let mut rows = rows_of(value.as_ref(), FROM_DRAFT);
            rows.extend(
                k.own
                    .iter()
                    .filter(|(_, name, _)| name.trim().is_empty())
                    .cloned(),
            );
            rows
        })
    });
    let duplicates = Memo::new(move |_| {
        let mut names: Vec<String> = rows.with(|r| {
            r.iter()
                .map(|(_, k, _)| k.trim().to_string())
                .filter(|k| !k.is_empty())
                .collect()
        });
        names.sort();
        let mut twice: Vec<String> = names
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| w[0].clone())
            .collect();
        twice.dedup();
        twice
    });
    // Every change starts from the rows shown, and writes the map they make.
    let change = {
        let pointer = pointer.clone();
        move |edit: &dyn Fn(&mut Vec<KvRow>)| {
            let mut own = rows.get_untracked();
            edit(&mut own);
            let map: serde_json::Map<String, Value> = own
                .iter()
                .filter(|(_, k, _)| !k.trim().is_empty())
                .map(|(_, k, v)| (k.trim().to_string(), Value::String(v.clone())))
                .collect();
            let value = (required || !map.is_empty()).then_some(Value::Object(map));
            kept.set(Kept {
                seen: value.clone(),
                own,
            });
            state.set_field(&pointer, value);
        }
    };
    let add = {
        let change = change.clone();
        move |_| {
            let n = next.get_value();
            next.set_value(n + 1);
            change(&|r| r.push((n, String::new(), String::new())));
        }
    };
    let reveal = RwSignal::new(false);
    let id = id.to_string();
    let list_id = id.clone();
    let value_type = move || {
        if secret && !reveal.get() {
            "password"
        } else {
            "text"
        }
    };
    view! {
        <div class="kv" role="group" id=id.clone() aria-labelledby=format!("{id}-label") aria-describedby=described_by.to_string()>
            <For each=move || rows.get() key=|(n, _, _)| *n let:row>
                {
                    let n = row.0;
                    let cell = move |which: u8| {
                        move || {
                            rows.with(|r| {
                                r.iter()
                                    .find(|(m, _, _)| *m == n)
                                    .map(|(_, k, v)| if which == 0 { k.clone() } else { v.clone() })
                                    .unwrap_or_default()
                            })
                        }
                    };
                    let set = {
                        let change = change.clone();
                        move |which: u8, text: String| {
                            change(&|r| {
                                if let Some(row) = r.iter_mut().find(|(m, _, _)| *m == n) {
                                    if which == 0 { row.1 = text.clone() } else { row.2 = text.clone() }
                                }
                            })
                        }
                    };
                    let (set_name, set_value, remove) = (set.clone(), set, change.clone());
                    view! {
                        <div class="kv-row">
                            <input type="text" aria-label="Name" placeholder="Name" id=format!("{list_id}-k{n}")
                                spellcheck="false" prop:value=cell(0)
                                on:input=move |ev| set_name(0, event_target_value(&ev))/>
                            <input type=value_type aria-label="Value" placeholder="Value" id=format!("{list_id}-v{n}")
                                spellcheck="false" autocomplete="off" prop:value=cell(1)
                                on:input=move |ev| set_value(1, event_target_value(&ev))/>
                            <button type="button" aria-label="Remove this row" on:click=move |_| {
                                remove(&|r| r.retain(|(m, _, _)| *m != n));
                            }>"Remove"</button>
                        </div>
                    }
                }
            </For>
            {move || {
                let twice = duplicates.get();
                (!twice.is_empty()).then(|| view! {
                    <p class="problem error" role="alert">
                        {format!("Named twice: {}. Only the last of each is sent.", twice.join(", "))}
                    </p>
                })
            }}
            <div class="row">
                <button type="button" class="add" on:click=add data-testid="kv-add">"Add a header"</button>
                {secret.then(|| view! { <RevealButton reveal what="header values".to_string()/> })}
            </div>
        </div>
    }
    .into_any()
}

/// A list of free text values, one per line.
fn text_list(
    pointer: &str,
    id: &str,
    described_by: &str,
    state: DraftState,
    invalid: impl Fn() -> String + Send + Sync + Copy + 'static,
) -> AnyView {
    let pointer = pointer.to_string();
    let lines_of = |value: Option<&Value>| {
        value
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    };
    let initial = state.value_at_untracked(&pointer);
    let kept = RwSignal::new(Kept {
        own: lines_of(initial.as_ref()),
        seen: initial,
    });
    let text = {
        let pointer = pointer.clone();
        move || {
            let value = state.value_at(&pointer);
            kept.with(|k| {
                if k.seen == value {
                    k.own.clone()
                } else {
                    lines_of(value.as_ref())
                }
            })
        }
    };
    view! {
        <textarea
            id=id.to_string()
            class="lines"
            rows="3"
            aria-describedby=described_by.to_string()
            aria-invalid=invalid
            spellcheck="false"
            placeholder="One per line"
            prop:value=text
            on:input=move |ev| {
                let t = event_target_value(&ev);
                let list: Vec<Value> = t
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| Value::String(l.to_string()))
                    .collect();
                let value = (!list.is_empty()).then_some(Value::Array(list));
                kept.set(Kept { seen: value.clone(), own: t });
                state.set_field(&pointer, value);
            }
        ></textarea>
    }
    .into_any()
}

/// A small JSON editor for a value the form has no better control for (custom properties).
fn json_control(
    pointer: &str,
    id: &str,
    described_by: &str,
    state: DraftState,
    invalid: impl Fn() -> String + Send + Sync + Copy + 'static,
) -> AnyView {
    let pointer = pointer.to_string();
    // Secrets in it (an `apiKey` among free properties) masked as in the raw view, until "Show
    // secrets" there; the text typed is kept as typed.
    let text_of = {
        let pointer = pointer.clone();
        move |value: Option<&Value>| {
            value
                .map(|v| {
                    let v = if state.reveal.get_untracked() {
                        v.clone()
                    } else {
                        masked_at(state.vendor, state.operation, &pointer, v.clone())
                    };
                    serde_json::to_string_pretty(&v).unwrap_or_default()
                })
                .unwrap_or_default()
        }
    };
    let initial = state.value_at_untracked(&pointer);
    // The control's own text and its syntax error, while the draft holds `seen`.
    let kept = RwSignal::new(Kept {
        own: (text_of(initial.as_ref()), None::<String>),
        seen: initial,
    });
    // Shown or hidden again, the text is drawn again from the draft, unless it does not parse.
    Effect::watch(
        move || state.reveal.get(),
        {
            let (pointer, text_of) = (pointer.clone(), text_of.clone());
            move |_, _, _| {
                let value = state.value_at_untracked(&pointer);
                kept.update(|k| {
                    if k.own.1.is_none() {
                        k.own.0 = text_of(value.as_ref());
                        k.seen = value;
                    }
                });
            }
        },
        false,
    );
    let shown = {
        let pointer = pointer.clone();
        Memo::new(move |_| {
            let value = state.value_at(&pointer);
            kept.with(|k| {
                if k.seen == value {
                    k.own.clone()
                } else {
                    (text_of(value.as_ref()), None)
                }
            })
        })
    };
    let set = move |t: String| {
        let before = state.value_at_untracked(&pointer);
        if t.trim().is_empty() {
            kept.set(Kept {
                seen: None,
                own: (t, None),
            });
            state.set_field(&pointer, None);
            return;
        }
        match hookpanel_core::draft::parse(&t) {
            Ok(v) => {
                // A mask left in place keeps the secret it stands for.
                let v = state
                    .draft
                    .with_untracked(|d| unmasked_at(state.vendor, state.operation, &pointer, v, d));
                kept.set(Kept {
                    seen: Some(v.clone()),
                    own: (t, None),
                });
                state.set_field(&pointer, Some(v));
            }
            // Kept as typed; the draft keeps its last value until the text parses.
            Err(e) => kept.set(Kept {
                seen: before,
                own: (t, Some(Problem::syntax(&e).message.into_owned())),
            }),
        }
    };
    view! {
        <textarea
            id=id.to_string()
            class="json"
            rows="3"
            aria-describedby=described_by.to_string()
            aria-invalid=move || (shown.with(|s| s.1.is_some()) || invalid() == "true").to_string()
            spellcheck="false"
            prop:value=move || shown.with(|s| s.0.clone())
            on:input=move |ev| set(event_target_value(&ev))
        ></textarea>
        {move || shown.with(|s| s.1.clone()).map(|m| view! { <p class="error">{m}</p> })}
    }
    .into_any()
}
