#pragma once

#include "core/protocol/entrypoint.h"

#include <QDialog>
#include <QJsonObject>
#include <QList>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;

namespace hubcap::ui {

/// What the load dialog produced: keyword arguments (JSON values) and, optionally, an export.
struct LoadRequest
{
    QJsonObject kwargs;
    bool exportEnabled = false;
    QString format;     ///< "torchscript", "trace", "state_dict", "onnx"
    QString output;     ///< absolute path
    QString inputShape; ///< "1,3,224,224"; empty: the model's example_input_shape
    QString dtype;      ///< "float32"

    /// The host's runtime.load "export" parameter object (empty when no export).
    QJsonObject exportParams() const;
};

/// A form generated from the entrypoint's signature: a checkbox for bools, spin boxes for
/// numbers, a text field for strings, JSON for everything else; defaults filled in. Only
/// values that differ from the default are passed. With `withExport`, the export options
/// (format, input shape, dtype, output path) follow.
class LoadDialog : public QDialog
{
    Q_OBJECT
public:
    LoadDialog(const Entrypoint &entrypoint, const QString &repoTitle, bool withExport,
               const QString &defaultOutputDir, QWidget *parent = nullptr);

    /// The request from the current form; an error text when a field does not parse.
    std::optional<LoadRequest> request(QString *error = nullptr) const;
    /// Widgets by parameter name (tests fill them in).
    QWidget *fieldFor(const QString &parameter) const;
    QGroupBox *exportGroup() const { return m_exportGroup; }
    QComboBox *formatBox() const { return m_format; }
    QLineEdit *outputEdit() const { return m_output; }
    QLineEdit *shapeEdit() const { return m_shape; }

    void accept() override;

private:
    struct Field
    {
        EntrypointParameter param;
        enum class Type { Bool, Int, Float, String, Json } type = Type::Json;
        QWidget *widget = nullptr;
    };
    void updateOutputSuffix();

    QString m_entrypoint;
    QList<Field> m_fields;
    QLineEdit *m_extraKwargs = nullptr;
    QGroupBox *m_exportGroup = nullptr;
    QComboBox *m_format = nullptr;
    QLineEdit *m_shape = nullptr;
    QComboBox *m_dtype = nullptr;
    QLineEdit *m_output = nullptr;
    QLabel *m_error = nullptr;
};

/// A Python literal's source text as JSON ("True" → true, "None" → null, "'a'" → "a",
/// "(1, 2)" → [1, 2]); nullopt when it is not a plain literal.
std::optional<QJsonValue> pythonLiteralToJson(const QString &text);

} // namespace hubcap::ui
