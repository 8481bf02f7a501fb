package main

// greeting is what this version says. The demo's second release changes it: a healthy change
// that walks through every rollout step.
const greeting = "hello"
