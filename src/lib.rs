//! rhetor: the rhetoric and bias of opinion columns, sentence by sentence.
//!
//! Pipeline (data flows one way): [`document`] → [`tag`] (rules and context taggers) →
//! [`classify`] (optional model) → [`aggregate`] → [`report`] → printers.

pub mod document;
pub mod rules;
pub mod tag;
