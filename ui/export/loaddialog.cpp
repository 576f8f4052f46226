#include "ui/export/loaddialog.h"

#include "ui/common/theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

namespace hubcap::ui {

std::optional<QJsonValue> pythonLiteralToJson(const QString &source)
{
    QString t = source.trimmed();
    if (t == QStringLiteral("True"))
        return QJsonValue(true);
    if (t == QStringLiteral("False"))
        return QJsonValue(false);
    if (t == QStringLiteral("None"))
        return QJsonValue(QJsonValue::Null);
    if (t.size() >= 2 && (t.front() == u'\'' || t.front() == u'"') && t.back() == t.front() &&
        !t.mid(1, t.size() - 2).contains(t.front()) && !t.contains(u'\\'))
        return QJsonValue(t.mid(1, t.size() - 2));
    // Numbers, lists, dicts: JSON after replacing Python spellings.
    if (t.startsWith(u'(') && t.endsWith(u')'))
        t = u'[' + t.mid(1, t.size() - 2) + u']';
    t.replace(QStringLiteral("True"), QStringLiteral("true"))
        .replace(QStringLiteral("False"), QStringLiteral("false"))
        .replace(QStringLiteral("None"), QStringLiteral("null"))
        .replace(u'\'', u'"');
    if (t.endsWith(QStringLiteral(",]")))
        t.remove(t.size() - 2, 1);
    const QJsonDocument doc = QJsonDocument::fromJson(QStringLiteral("[%1]").arg(t).toUtf8());
    if (doc.isArray() && doc.array().size() == 1)
        return doc.array().at(0);
    return std::nullopt;
}

QJsonObject LoadRequest::exportParams() const
{
    if (!exportEnabled)
        return {};
    QJsonObject o{{QStringLiteral("format"), format},
                  {QStringLiteral("output"), output},
                  {QStringLiteral("dtype"), dtype}};
    if (!inputShape.trimmed().isEmpty())
        o.insert(QStringLiteral("input_shape"), inputShape.trimmed());
    return o;
}

LoadDialog::LoadDialog(const Entrypoint &entrypoint, const QString &repoTitle, bool withExport,
                       const QString &defaultOutputDir, QWidget *parent)
    : QDialog(parent), m_entrypoint(entrypoint.name)
{
    setObjectName(QStringLiteral("loadDialog"));
    setWindowTitle(withExport ? tr("Export %1").arg(entrypoint.name)
                              : tr("Load %1").arg(entrypoint.name));
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    bool hasVarKeyword = false;
    for (const EntrypointParameter &p : entrypoint.effectiveParameters()) {
        if (p.kind == QStringLiteral("var_keyword")) {
            hasVarKeyword = true;
            continue;
        }
        if (p.kind == QStringLiteral("var_positional"))
            continue;
        Field f;
        f.param = p;
        const std::optional<QJsonValue> def =
            p.hasDefault ? pythonLiteralToJson(p.defaultText) : std::nullopt;
        const QString ann = p.annotation;
        // Typed widgets always hold a value, so they are used only where the default is a plain
        // literal they can show. A required parameter, a None default or an expression
        // (`len(CLASSES)`) gets a text field that is left out of the call while it is empty,
        // so Python applies its own default, or the dialog says the parameter is required.
        const bool literalDefault = def.has_value() && !def->isNull();
        if (!literalDefault)
            f.type = Field::Type::Json;
        else if (ann == QStringLiteral("bool") || (def && def->isBool()))
            f.type = Field::Type::Bool;
        else if (ann == QStringLiteral("int") ||
                 (def && def->isDouble() && !p.defaultText.contains(u'.') &&
                  !p.defaultText.contains(u'e')))
            f.type = Field::Type::Int;
        else if (ann == QStringLiteral("float") || (def && def->isDouble()))
            f.type = Field::Type::Float;
        else if (ann == QStringLiteral("str") || (def && def->isString()))
            f.type = Field::Type::String;
        QString label = p.name;
        switch (f.type) {
        case Field::Type::Bool: {
            auto *box = new QCheckBox;
            box->setChecked(def && def->toBool());
            f.widget = box;
            break;
        }
        case Field::Type::Int: {
            auto *spin = new QSpinBox;
            spin->setRange(std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
            spin->setValue(def ? def->toInt() : 0);
            f.widget = spin;
            break;
        }
        case Field::Type::Float: {
            auto *spin = new QDoubleSpinBox;
            spin->setRange(-1e12, 1e12);
            spin->setDecimals(6);
            spin->setValue(def ? def->toDouble() : 0.0);
            f.widget = spin;
            break;
        }
        case Field::Type::String: {
            auto *edit = new QLineEdit(def ? def->toString() : QString());
            f.widget = edit;
            break;
        }
        case Field::Type::Json: {
            auto *edit = new QLineEdit;
            if (p.hasDefault)
                edit->setPlaceholderText(tr("default: %1 (leave empty)").arg(p.defaultText));
            else if (!ann.isEmpty())
                edit->setPlaceholderText(tr("required: %1").arg(ann));
            else
                edit->setPlaceholderText(tr("required (JSON, or text)"));
            f.widget = edit;
            if (!p.hasDefault)
                label += QStringLiteral(" *");
            if (ann.isEmpty() || p.hasDefault)
                label += tr(" (JSON)");
            break;
        }
        }
        f.widget->setObjectName(QStringLiteral("param_") + p.name);
        f.widget->setAccessibleName(p.name);
        QString tip = p.name;
        if (!p.annotation.isEmpty())
            tip += QStringLiteral(": ") + p.annotation;
        if (p.hasDefault)
            tip += QStringLiteral(" = ") + p.defaultText;
        f.widget->setToolTip(tip);
        form->addRow(label, f.widget);
        m_fields << f;
    }
    if (hasVarKeyword) {
        m_extraKwargs = new QLineEdit;
        m_extraKwargs->setObjectName(QStringLiteral("extraKwargs"));
        m_extraKwargs->setPlaceholderText(QStringLiteral("{\"key\": value}"));
        m_extraKwargs->setAccessibleName(tr("Extra keyword arguments"));
        form->addRow(tr("Other keyword arguments"), m_extraKwargs);
    }
    if (m_fields.isEmpty() && !hasVarKeyword)
        form->addRow(new QLabel(tr("This entrypoint takes no arguments.")));

    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("<b>%1</b> from %2<br><code>%1%3</code>")
                                 .arg(entrypoint.name.toHtmlEscaped(), repoTitle.toHtmlEscaped(),
                                      entrypoint.signature.toHtmlEscaped()));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *argsBox = new QGroupBox(tr("Arguments"));
    argsBox->setLayout(form);
    layout->addWidget(argsBox);

    m_exportGroup = new QGroupBox(tr("Export"));
    m_exportGroup->setObjectName(QStringLiteral("exportGroup"));
    m_exportGroup->setCheckable(true);
    m_exportGroup->setChecked(withExport);
    auto *exportForm = new QFormLayout(m_exportGroup);
    m_format = new QComboBox;
    m_format->setAccessibleName(tr("Export format"));
    m_format->addItem(tr("TorchScript (script, trace as fallback)"), QStringLiteral("torchscript"));
    m_format->addItem(tr("TorchScript (trace)"), QStringLiteral("trace"));
    m_format->addItem(tr("State dict"), QStringLiteral("state_dict"));
    m_format->addItem(tr("ONNX"), QStringLiteral("onnx"));
    m_shape = new QLineEdit;
    m_shape->setAccessibleName(tr("Input shape"));
    m_shape->setPlaceholderText(tr("e.g. 1,3,224,224 (empty: the model's example_input_shape)"));
    m_dtype = new QComboBox;
    m_dtype->setAccessibleName(tr("Input dtype"));
    m_dtype->addItems({QStringLiteral("float32"), QStringLiteral("float64"),
                       QStringLiteral("float16"), QStringLiteral("int64"),
                       QStringLiteral("int32")});
    m_output =
        new QLineEdit(QDir(defaultOutputDir).filePath(entrypoint.name + QStringLiteral(".pt")));
    m_output->setAccessibleName(tr("Output file"));
    auto *browse = new QPushButton(tr("Browse…"));
    auto *outRow = new QHBoxLayout;
    outRow->addWidget(m_output, 1);
    outRow->addWidget(browse);
    exportForm->addRow(tr("Format"), m_format);
    exportForm->addRow(tr("Input shape"), m_shape);
    exportForm->addRow(tr("Input dtype"), m_dtype);
    exportForm->addRow(tr("Output file"), outRow);
    layout->addWidget(m_exportGroup);
    connect(m_format, &QComboBox::currentIndexChanged, this, &LoadDialog::updateOutputSuffix);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export to"), m_output->text());
        if (!path.isEmpty())
            m_output->setText(path);
    });

    m_error = new QLabel;
    m_error->setObjectName(QStringLiteral("loadError"));
    m_error->setWordWrap(true);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, toneText(Tone::Error, errorPalette));
    m_error->setPalette(errorPalette);
    m_error->hide();
    layout->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(withExport ? tr("&Export") : tr("&Load"));
    connect(buttons, &QDialogButtonBox::accepted, this, &LoadDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(560, sizeHint().height());
}

void LoadDialog::updateOutputSuffix()
{
    const QString fmt = m_format->currentData().toString();
    const QString suffix = fmt == QStringLiteral("onnx")         ? QStringLiteral(".onnx")
                           : fmt == QStringLiteral("state_dict") ? QStringLiteral(".pth")
                                                                 : QStringLiteral(".pt");
    QString out = m_output->text();
    const int dot = out.lastIndexOf(u'.');
    if (dot > out.lastIndexOf(u'/'))
        out.truncate(dot);
    m_output->setText(out + suffix);
}

QWidget *LoadDialog::fieldFor(const QString &parameter) const
{
    for (const Field &f : m_fields)
        if (f.param.name == parameter)
            return f.widget;
    return nullptr;
}

std::optional<LoadRequest> LoadDialog::request(QString *error) const
{
    LoadRequest r;
    auto bad = [&](const QString &text) -> std::optional<LoadRequest> {
        if (error)
            *error = text;
        return std::nullopt;
    };
    for (const Field &f : m_fields) {
        const std::optional<QJsonValue> def =
            f.param.hasDefault ? pythonLiteralToJson(f.param.defaultText) : std::nullopt;
        QJsonValue value;
        switch (f.type) {
        case Field::Type::Bool:
            value = static_cast<QCheckBox *>(f.widget)->isChecked();
            break;
        case Field::Type::Int:
            value = static_cast<QSpinBox *>(f.widget)->value();
            break;
        case Field::Type::Float:
            value = static_cast<QDoubleSpinBox *>(f.widget)->value();
            break;
        case Field::Type::String:
            value = static_cast<QLineEdit *>(f.widget)->text();
            break;
        case Field::Type::Json: {
            const QString text = static_cast<QLineEdit *>(f.widget)->text().trimmed();
            if (text.isEmpty()) {
                if (!f.param.hasDefault)
                    return bad(tr("%1 is required.").arg(f.param.name));
                continue; // the default applies
            }
            const QJsonDocument doc =
                QJsonDocument::fromJson(QStringLiteral("[%1]").arg(text).toUtf8());
            const bool isJson = doc.isArray() && doc.array().size() == 1;
            // A `str` parameter takes the text as typed (a quoted JSON string also works).
            if (f.param.annotation == QStringLiteral("str") &&
                !(isJson && doc.array().at(0).isString()))
                value = text;
            else
                value = isJson ? doc.array().at(0) : QJsonValue(text);
            break;
        }
        }
        if (def && *def == value)
            continue; // unchanged default: let Python apply its own
        if (!f.param.hasDefault || !def || *def != value)
            r.kwargs.insert(f.param.name, value);
    }
    if (m_extraKwargs && !m_extraKwargs->text().trimmed().isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(m_extraKwargs->text().toUtf8());
        if (!doc.isObject())
            return bad(tr("Other keyword arguments must be a JSON object, like {\"key\": 1}."));
        const QJsonObject extra = doc.object();
        for (auto it = extra.begin(); it != extra.end(); ++it)
            r.kwargs.insert(it.key(), it.value());
    }
    r.exportEnabled = m_exportGroup->isChecked();
    if (r.exportEnabled) {
        r.format = m_format->currentData().toString();
        r.output = QDir::cleanPath(QDir::current().absoluteFilePath(m_output->text().trimmed()));
        r.inputShape = m_shape->text();
        r.dtype = m_dtype->currentText();
        if (m_output->text().trimmed().isEmpty())
            return bad(tr("Choose an output file for the export."));
        static const QRegularExpression shapeRe(QStringLiteral(R"(^\s*(\d+\s*[,x]\s*)*\d+\s*$)"));
        if (!r.inputShape.trimmed().isEmpty() && !shapeRe.match(r.inputShape).hasMatch())
            return bad(
                tr("The input shape must be numbers separated by commas, like 1,3,224,224."));
        // Checked here rather than by a failed run: every size at least 1, a plausible number
        // of dimensions, and an example tensor that fits in memory.
        if (!r.inputShape.trimmed().isEmpty()) {
            static const QRegularExpression sep(QStringLiteral(R"(\s*[,x]\s*)"));
            const QStringList dims = r.inputShape.trimmed().split(sep, Qt::SkipEmptyParts);
            if (dims.size() > 8)
                return bad(tr("The input shape has %1 dimensions; models take at most 8. Enter "
                              "one like 1,3,224,224.")
                               .arg(dims.size()));
            double elements = 1;
            for (const QString &d : dims) {
                const qlonglong n = d.toLongLong();
                if (n < 1)
                    return bad(tr("Every size in the input shape must be at least 1 (%1 has a "
                                  "0). Enter one like 1,3,224,224.")
                                   .arg(r.inputShape.trimmed()));
                elements *= double(n);
            }
            if (elements > 5e8)
                return bad(tr("An example input of shape %1 has %2 values, too large to run "
                              "here. Use batch size 1 and the model's usual image size.")
                               .arg(r.inputShape.trimmed(), QLocale().toString(elements, 'g', 3)));
        }
    }
    return r;
}

void LoadDialog::accept()
{
    QString error;
    if (!request(&error)) {
        m_error->setText(error);
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace hubcap::ui
