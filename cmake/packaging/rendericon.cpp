// Build-time tool: renders the application icon (an SVG) to a square PNG of the given size.
//   arlab-rendericon IN.svg SIZE OUT.png
// The PNGs for the icon theme (16 ... 512 px) come from the one drawing, so they never drift apart.
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: arlab-rendericon IN.svg SIZE OUT.png\n");
        return 2;
    }
    const int size = std::atoi(argv[2]);
    if (size < 8 || size > 4096) {
        std::fprintf(stderr, "arlab-rendericon: SIZE must be 8..4096, got '%s'\n", argv[2]);
        return 2;
    }
    QSvgRenderer svg(QString::fromLocal8Bit(argv[1]));
    if (!svg.isValid()) {
        std::fprintf(stderr, "arlab-rendericon: '%s' is not a valid SVG file\n", argv[1]);
        return 1;
    }
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        svg.render(&painter, QRectF(0, 0, size, size));
    }
    if (!image.save(QString::fromLocal8Bit(argv[3]), "PNG")) {
        std::fprintf(stderr, "arlab-rendericon: cannot write '%s'\n", argv[3]);
        return 1;
    }
    return 0;
}
