import sys

try:
    from budgetaudit.launch import main
except KeyboardInterrupt:  # Ctrl-C while the program is still starting
    sys.stderr.write("budgetaudit: 已中断 (interrupted)\n")
    sys.exit(130)

main()
