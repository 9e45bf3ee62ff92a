"""Benchmark of the dashboard: build time, server-side reruns, browser rendering and scaled data (`python -m bench.run`)."""
