"""Tests for staff triage: recorder, privacy, dashboard, handoff actions."""
