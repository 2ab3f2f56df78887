from loader.cli.main import main

raise SystemExit(main())
