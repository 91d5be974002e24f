"""The built-in bind methods: sandbox, http, browser-assist and handoff."""
