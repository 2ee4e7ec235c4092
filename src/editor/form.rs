//! A form generated from a vendor's schema: one control per field, labelled and explained by the
//! schema's titles and descriptions, each showing its own problems once touched.

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
    vendor: VendorId,
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
fn Field(field: FieldSpec, state: DraftState, problems: Memo<Vec<Problem>>) -> impl IntoView {
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
        FieldKind::MultiChoice { .. } | FieldKind::KeyValue
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
    state.draft.with(|d| match d.pointer(pointer) {
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
        FieldKind::KeyValue => key_value(&pointer, id, described_by, field.required, state),
        FieldKind::TextList => text_list(&pointer, id, described_by, state, invalid),
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
    let selected = {
        let pointer = pointer.clone();
        move || -> Vec<String> {
            state
                .draft
                .with(|d| hookpanel_core::draft::strings_at(d, &pointer))
        }
    };
    let count = {
        let selected = selected.clone();
        move || format!("{} selected", selected().len())
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
                        let selected = selected.clone();
                        move || selected().contains(&option)
                    };
                    let toggle = {
                        let option = option.clone();
                        let pointer = pointer.clone();
                        let selected = selected.clone();
                        move |on: bool| {
                            let mut list = selected();
                            list.retain(|o| o != &option);
                            if on {
                                list.push(option.clone());
                            }
                            let value = (!list.is_empty()).then(|| Value::from(list));
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

/// Rows of name and value (HTTP headers), with a button to add a row and one to remove each.
fn key_value(
    pointer: &str,
    id: &str,
    described_by: &str,
    required: bool,
    state: DraftState,
) -> AnyView {
    let pointer = pointer.to_string();
    let initial: Vec<(u64, String, String)> = state.draft.with(|d| {
        d.pointer(&pointer)
            .and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .enumerate()
                    .map(|(i, (k, v))| {
                        let v = v
                            .as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| v.to_string());
                        (i as u64, k.clone(), v)
                    })
                    .collect()
            })
            .unwrap_or_default()
    });
    let next = StoredValue::new(initial.len() as u64);
    let rows = RwSignal::new(initial);
    let write = move |pointer: &str| {
        let map: serde_json::Map<String, Value> = rows.with_untracked(|r| {
            r.iter()
                .filter(|(_, k, _)| !k.trim().is_empty())
                .map(|(_, k, v)| (k.trim().to_string(), Value::String(v.clone())))
                .collect()
        });
        let value = (required || !map.is_empty()).then_some(Value::Object(map));
        state.set_field(pointer, value);
    };
    let add = {
        let pointer = pointer.clone();
        move |_| {
            let n = next.get_value();
            next.set_value(n + 1);
            rows.update(|r| r.push((n, String::new(), String::new())));
            state.touch(&pointer);
        }
    };
    let id = id.to_string();
    let list_id = id.clone();
    view! {
        <div class="kv" role="group" id=id.clone() aria-labelledby=format!("{id}-label") aria-describedby=described_by.to_string()>
            <For each=move || rows.get() key=|(n, _, _)| *n let:row>
                {
                    let (n, key, value) = row;
                    let (p1, p2, p3) = (pointer.clone(), pointer.clone(), pointer.clone());
                    let set = move |which: u8, text: String, pointer: &str| {
                        rows.update(|r| {
                            if let Some(row) = r.iter_mut().find(|(m, _, _)| *m == n) {
                                if which == 0 { row.1 = text } else { row.2 = text }
                            }
                        });
                        write(pointer);
                    };
                    view! {
                        <div class="kv-row">
                            <input type="text" aria-label="Name" placeholder="Name" id=format!("{list_id}-k{n}")
                                spellcheck="false" prop:value=key
                                on:input=move |ev| set(0, event_target_value(&ev), &p1)/>
                            <input type="text" aria-label="Value" placeholder="Value" id=format!("{list_id}-v{n}")
                                spellcheck="false" prop:value=value
                                on:input=move |ev| set(1, event_target_value(&ev), &p2)/>
                            <button type="button" aria-label="Remove this row" on:click=move |_| {
                                rows.update(|r| r.retain(|(m, _, _)| *m != n));
                                write(&p3);
                            }>"Remove"</button>
                        </div>
                    }
                }
            </For>
            <button type="button" class="add" on:click=add data-testid="kv-add">"Add a header"</button>
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
    let initial = state
        .draft
        .with(|d| hookpanel_core::draft::strings_at(d, &pointer).join("\n"));
    let text = RwSignal::new(initial);
    view! {
        <textarea
            id=id.to_string()
            class="lines"
            rows="3"
            aria-describedby=described_by.to_string()
            aria-invalid=invalid
            spellcheck="false"
            placeholder="One per line"
            prop:value=move || text.get()
            on:input=move |ev| {
                let t = event_target_value(&ev);
                let list: Vec<Value> = t
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| Value::String(l.to_string()))
                    .collect();
                text.set(t);
                state.set_field(&pointer, (!list.is_empty()).then_some(Value::Array(list)));
            }
        ></textarea>
    }
    .into_any()
}

/// A small JSON editor for a value the form has no better control for (headers, lists).
fn json_control(
    pointer: &str,
    id: &str,
    described_by: &str,
    state: DraftState,
    invalid: impl Fn() -> String + Send + Sync + Copy + 'static,
) -> AnyView {
    let pointer = pointer.to_string();
    let initial = state.draft.with(|d| {
        d.pointer(&pointer)
            .map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
            .unwrap_or_default()
    });
    let text = RwSignal::new(initial);
    let error = RwSignal::new(None::<String>);
    let set = move |t: String| {
        text.set(t.clone());
        if t.trim().is_empty() {
            error.set(None);
            state.set_field(&pointer, None);
            return;
        }
        match serde_json::from_str::<Value>(&t) {
            Ok(v) => {
                error.set(None);
                state.set_field(&pointer, Some(v));
            }
            Err(e) => error.set(Some(Problem::syntax(&e).message)),
        }
    };
    view! {
        <textarea
            id=id.to_string()
            class="json"
            rows="3"
            aria-describedby=described_by.to_string()
            aria-invalid=move || (error.with(Option::is_some) || invalid() == "true").to_string()
            spellcheck="false"
            prop:value=move || text.get()
            on:input=move |ev| set(event_target_value(&ev))
        ></textarea>
        {move || error.get().map(|m| view! { <p class="error">{m}</p> })}
    }
    .into_any()
}
