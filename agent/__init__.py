"""retain: the agent, its configuration and the `retain` command line."""
