"""One module per `kubetui` subcommand; `kubetui.cli` parses and dispatches to them."""
