"""``counter``: the desktop application's entry point."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="counter", description="One-stop counter")
    parser.add_argument("--data-dir", help="data folder (default: $COUNTER_DATA_DIR or the "
                                           "user data folder)")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication, QLabel

    from counter.app import CounterApp, resolve_data_dir

    data_dir = resolve_data_dir(args.data_dir)
    app = QApplication(sys.argv[:1])
    counter = CounterApp.open(data_dir, create=True)
    office = counter.office() if counter.is_initialised() else None
    label = QLabel(
        f"Bộ phận tiếp nhận và trả kết quả\n{office.agency_name if office else 'Chưa khởi tạo'}"
        f"\n{data_dir}"
    )
    label.setWindowTitle("Quầy tiếp nhận một cửa")
    label.resize(480, 200)
    label.show()
    try:
        return app.exec()
    finally:
        counter.close()


if __name__ == "__main__":
    sys.exit(main())
