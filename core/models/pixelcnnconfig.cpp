#include "core/models/pixelcnnconfig.h"

#include "core/models/configlimits.h"
#include "core/models/configreader.h"

#include <nlohmann/json.hpp>

namespace ar {

std::string pixelCnnConfigJson(const PixelCnnConfig& c) {
    nlohmann::json j = {{"height", c.height}, {"width", c.width}, {"channels", c.channels},
                        {"layers", c.layers}, {"first_kernel", c.firstKernel}, {"kernel", c.kernel},
                        {"classes", c.classes}, {"positions", c.positions}};
    return j.dump();
}

PixelCnnConfig parsePixelCnnConfig(const std::string& json, bool gated) {
    PixelCnnConfig c;
    ConfigReader r(json, gated ? "gatedpixelcnn config" : "pixelcnn config");
    // ranges wide enough to hold any int; validatePixelCnnConfig applies the documented limits
    const auto integer = [&](const char* key, int def) { return int(r.integer(key, def, INT32_MIN, INT32_MAX)); };
    c.height = integer("height", c.height);
    c.width = integer("width", c.width);
    c.channels = integer("channels", c.channels);
    c.layers = integer("layers", c.layers);
    c.firstKernel = integer("first_kernel", c.firstKernel);
    c.kernel = integer("kernel", c.kernel);
    c.classes = integer("classes", c.classes);
    c.positions = r.boolean("positions", false);  // files written before positions existed have none
    r.finish();
    validatePixelCnnConfig(c, gated);
    return c;
}

}  // namespace ar
