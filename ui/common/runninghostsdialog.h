#pragma once

#include <QDialog>
#include <QPointer>
#include <QTimer>

class QLabel;
class QPushButton;
class QTableWidget;

namespace hubcap {
class PyHostPool;
}

namespace hubcap::ui {

class CoreBridge;

/// View → Running Hosts: the Python host processes of this session (one per repository that
/// was listed or loaded), what each is doing, how much memory it holds (with what it forked),
/// and Stop buttons. Refreshes every two seconds and whenever a host starts or stops.
class RunningHostsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit RunningHostsDialog(CoreBridge *bridge, QWidget *parent = nullptr);

    /// Re-reads the pool (tests call it instead of waiting for the timer).
    void refresh();
    QTableWidget *table() const { return m_table; }

private:
    void attach(PyHostPool *pool);
    void stopSelected();

    QPointer<PyHostPool> m_pool;
    QTableWidget *m_table;
    QLabel *m_summary;
    QPushButton *m_stop;
    QPushButton *m_stopAll;
    QTimer m_timer;
};

} // namespace hubcap::ui
