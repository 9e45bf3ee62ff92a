from ydp_data.cli import main

raise SystemExit(main())
