//! Attribution: who is cited, how, and how vaguely.
