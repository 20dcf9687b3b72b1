from kubetui.cli import main

raise SystemExit(main())
