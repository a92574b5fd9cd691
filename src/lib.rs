//! rhetor: the rhetoric and bias of opinion columns, sentence by sentence.
//!
//! Pipeline (data flows one way): [`document`] → [`tag`] (rules and context taggers) →
//! [`classify`] (optional model) → [`aggregate`] → [`report`] → printers.

pub mod aggregate;
pub mod batch;
pub mod classify;
pub mod cli;
pub mod compare;
pub mod document;
pub mod eval;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod tag;
