import Foundation
import Huiqi
