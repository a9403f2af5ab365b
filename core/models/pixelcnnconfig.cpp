#include "core/models/pixelcnnconfig.h"

#include "core/error.h"

#include <nlohmann/json.hpp>

namespace ar {

std::string pixelCnnConfigJson(const PixelCnnConfig& c) {
    nlohmann::json j = {{"height", c.height}, {"width", c.width}, {"channels", c.channels},
                        {"layers", c.layers}, {"first_kernel", c.firstKernel}, {"kernel", c.kernel},
                        {"classes", c.classes}, {"positions", c.positions}};
    return j.dump();
}

PixelCnnConfig parsePixelCnnConfig(const std::string& json) try {
    PixelCnnConfig c;
    nlohmann::json j = nlohmann::json::parse(json.empty() ? "{}" : json);
    c.height = j.value("height", c.height);
    c.width = j.value("width", c.width);
    c.channels = j.value("channels", c.channels);
    c.layers = j.value("layers", c.layers);
    c.firstKernel = j.value("first_kernel", c.firstKernel);
    c.kernel = j.value("kernel", c.kernel);
    c.classes = j.value("classes", c.classes);
    c.positions = j.value("positions", false);  // files written before positions existed have none
    return c;
} catch (const nlohmann::json::exception& e) {  // malformed JSON or a value of the wrong type: a typed error
    throw Error(std::string("pixelcnn configuration: ") + e.what());
}

}  // namespace ar
