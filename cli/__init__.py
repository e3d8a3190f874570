"""`retain` subcommands, one module per domain. Each module must import quickly: heavy imports go inside
the command functions so that `retain --help` stays well under a second."""
