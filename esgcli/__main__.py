from esgcli.cli.entry import main

main()
