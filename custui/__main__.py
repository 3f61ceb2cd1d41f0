from custui.cli import main

main()
